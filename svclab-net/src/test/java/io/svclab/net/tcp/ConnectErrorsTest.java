package io.svclab.net.tcp;

import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.Route;
import io.svclab.net.RouteType;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

/** What the client sees when the connect fails (spec conntrack-nat-tcp.md §7.4, §7.5, CL-5). */
class ConnectErrorsTest {

    @Test
    void closedPortAnswersRstAckWithSeqZeroAndIsnPlusOneGivingConnectionRefusedInOneRoundTrip() {
        TcpHosts t = new TcpHosts("6.12");
        t.connect(t.toServer());
        t.runUntil(S);
        assertThat(t.wire).containsExactly("150000 c>s [S] seq 0 len 0", "350000 s>c [R.] seq 0 ack 1 len 0");
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.ECONNREFUSED);
        assertThat(r.endNs()).isEqualTo(400_000);
        assertThat(r.synRetransmissions()).isZero();
    }

    @Test
    void vanishedServerGivesHostUnreachableAfterThreeArpProbes() {
        TcpHosts t = new TcpHosts("6.12");
        t.right.detach(t.serverEth);
        t.connect(t.toServer());
        t.runUntil(10 * S);
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.EHOSTUNREACH);
        // SYN at the router at 150 us; FAILED at 3.00015 s; ICMP back 50 us later (spec: 3.067 s measured)
        assertThat(r.endNs()).isEqualTo(3_000_200_000L);
        assertThat(r.synRetransmissions()).isEqualTo(3); // 6.12: SYNs at 0, 1, 2 and 3 s left before the ICMP
    }

    @Test
    void noRouteAtTheRouterGivesNetworkUnreachableInOneRoundTrip() {
        TcpHosts t = new TcpHosts("6.12");
        t.connect(ConnectSpec.to(Ip4.parse("192.0.2.1"), 80));
        t.runUntil(S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ENETUNREACH);
        assertThat(t.last().endNs()).isEqualTo(200_000);
    }

    @Test
    void adminProhibitedIsFatalInSynSentAsHostUnreachable() {
        TcpHosts t = new TcpHosts("6.12");
        int dst = Ip4.parse("192.0.2.1");
        t.router.addRoute(new Route(dst, 32, RouteType.PROHIBIT, null, 0, 0));
        t.connect(ConnectSpec.to(dst, 80));
        t.runUntil(S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.EHOSTUNREACH);
        assertThat(t.last().endNs()).isEqualTo(200_000);
    }

    @Test
    void rejectWithPortUnreachableIsConnectionRefusedInOneRoundTrip() {
        TcpHosts t = new TcpHosts("6.12");
        t.router.registerHook(Hook.FORWARD, new HookEntry("reject", NfPriority.FILTER - 1, (p, ns, h) -> {
            ns.icmpError(p, Icmp.DEST_UNREACH, Icmp.PORT_UNREACH); // kube-proxy REJECT, no endpoints
            return Verdict.DROP;
        }));
        t.connect(t.toServer());
        t.runUntil(S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ECONNREFUSED);
        assertThat(t.last().endNs()).isEqualTo(200_000);
    }

    @Test
    void icmpErrorsAreSoftOnceEstablished() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().serviceTimeNs(S));
        boolean[] reject = {false};
        t.router.registerHook(Hook.FORWARD, new HookEntry("reject", NfPriority.FILTER - 1, (p, ns, h) -> {
            if (reject[0] && p.src == TcpHosts.CLIENT) {
                ns.icmpError(p, Icmp.DEST_UNREACH, Icmp.HOST_UNREACH);
            }
            return Verdict.ACCEPT;
        }));
        t.connect(t.toServer().withHold(2 * S));
        t.runUntil(100 * TcpHosts.MS);
        reject[0] = true;
        t.runUntil(4 * S);
        // the client's ACK of the response (1.0006 s) draws a host unreachable while it holds the
        // connection: ignored, the client closes as planned 2 s later
        assertThat(t.records).hasSize(1);
        assertThat(t.last().result()).isEqualTo(ConnectResult.OK);
        assertThat(t.last().endNs()).isEqualTo(3_000_600_000L);
        assertThat(t.trace.of(io.svclab.net.trace.IcmpErrorSent.class)).isNotEmpty();
    }

    @Test
    void noRouteAtTheClientFailsAtOnce() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.routes().remove(0, 0);
        t.connect(ConnectSpec.to(Ip4.parse("192.0.2.1"), 80));
        assertThat(t.records).hasSize(1);
        assertThat(t.last().result()).isEqualTo(ConnectResult.ENETUNREACH);
        assertThat(t.last().endNs()).isZero();
        assertThat(t.clientOut).isEmpty();
    }
}
