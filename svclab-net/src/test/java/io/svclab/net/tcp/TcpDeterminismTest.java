package io.svclab.net.tcp;

import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** The same seed gives the same connections; another seed other ports and ISNs. */
class TcpDeterminismTest {

    private static List<String> run(long seed) {
        TcpHosts t = new TcpHosts("6.12", seed);
        t.listen(new ServerSpec().serviceTimeNs(MS));
        for (int i = 0; i < 50; i++) {
            t.connect(t.toServer());
            t.runUntil(t.sim.now() + 3 * MS);
        }
        t.runUntil(5 * S);
        List<String> out = new ArrayList<>();
        t.records.forEach(r -> out.add(r.toString()));
        out.addAll(t.trace.lines());
        return out;
    }

    private static List<String> synSeqs(long seed) {
        TcpHosts t = new TcpHosts("6.12", seed);
        List<String> out = new ArrayList<>();
        t.router.registerHook(Hook.FORWARD, new HookEntry("syn", 1, (p, ns, h) -> {
            if (p.tcpFlags == TcpFlags.SYN) {
                out.add(p.sport + "/" + Integer.toUnsignedString(p.seq));
            }
            return Verdict.ACCEPT;
        }));
        t.listen(new ServerSpec());
        for (int i = 0; i < 5; i++) {
            t.connect(t.toServer());
            t.runUntil(t.sim.now() + 3 * MS);
        }
        return out;
    }

    @Test
    void sameSeedSameRun() {
        assertThat(run(42)).isEqualTo(run(42)).hasSizeGreaterThan(50);
    }

    @Test
    void otherSeedOtherPortsAndIsns() {
        List<String> a = synSeqs(1);
        List<String> b = synSeqs(2);
        assertThat(a).hasSize(5);
        assertThat(b).hasSize(5);
        for (int i = 0; i < 5; i++) {
            String[] x = a.get(i).split("/");
            String[] y = b.get(i).split("/");
            assertThat(x[1]).isNotEqualTo(y[1]);
        }
        assertThat(a.get(0).split("/")[0]).isNotEqualTo(b.get(0).split("/")[0]);
    }
}
