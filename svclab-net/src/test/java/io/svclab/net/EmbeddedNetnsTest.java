package io.svclab.net;

import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedNetnsTest {

    @Test
    void aHookFunctionTestedAloneRewritesWhatLeaves() {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        e.device("eth0", "10.244.1.1", 24);
        e.device("eth1", "10.250.0.1", 24);
        e.ns().sysctls().set(io.svclab.kernel.Sysctl.NET_IPV4_IP_FORWARD, 1);
        int backend = Ip4.parse("10.244.1.7");
        e.hook(Hook.PREROUTING, new HookEntry("dnat", NfPriority.NAT_DST, (p, ns, h) -> {
            p.dst = backend;
            p.dport = 8080;
            return Verdict.ACCEPT;
        }));

        e.receive(e.tcp("10.250.0.9", 40000, "10.96.0.10", 80, TcpFlags.SYN), "eth1");

        // one ARP round trip over a zero-latency wire, then the rewritten SYN leaves on eth0
        assertThat(e.readOutbound()).extracting(Object::toString)
                .containsExactly("0 eth0 10.250.0.9:40000 > 10.244.1.7:8080 tcp [S] seq 0 len 0");
    }
}
