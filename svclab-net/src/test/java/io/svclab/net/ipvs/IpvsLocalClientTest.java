package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A process on the node (host network) connecting to a ClusterIP: OUTPUT −98 and INPUT 98. */
class IpvsLocalClientTest {

    @Test
    void localRequestIsScheduledAtOutputAndTheReplyRewrittenAtInput() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        List<String> delivered = new ArrayList<>();
        n.e.hook(Hook.INPUT, new HookEntry("socket_probe", 500, (p, ns, h) -> {
            delivered.add(p.describe());
            return Verdict.ACCEPT;
        }));
        assertThat(n.e.ns().hooks(Hook.INPUT).names()).containsExactly("ipvs_out", "ipvs_in", "socket_probe");
        assertThat(n.e.ns().hooks(Hook.OUTPUT).names()).containsExactly("ipvs_out", "ipvs_local_request");
        assertThat(n.e.ns().hooks(Hook.FORWARD).names()).containsExactly("ipvs_out");

        n.e.send(n.e.tcp("10.250.1.1", 50000, IpvsNode.VIP, 80, TcpFlags.SYN));
        assertThat(n.e.readOutbound()).extracting(EmbeddedNetns.Sent::toString)
                .containsExactly("0 rs2 10.250.1.1:50000 > 10.250.3.2:8080 tcp [S] seq 0 len 0");

        n.e.receive(n.e.tcp(IpvsNode.RS2, 8080, "10.250.1.1", 50000, TcpFlags.SYN | TcpFlags.ACK), "rs2");
        assertThat(delivered).containsExactly("10.250.100.100:80 > 10.250.1.1:50000 tcp [S.] seq 0 ack 0 len 0");
        assertThat(n.ipvs.connection(6, Ip4.parse("10.250.1.1"), 50000, Ip4.parse(IpvsNode.VIP), 80).stateName())
                .isEqualTo("SYN_RECV");
    }

    @Test
    void stableBackportOfC95c0783In419() {
        IpvsNode n = new IpvsNode("4.19.220", new FakeConntrack(false));
        n.sysctl(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 0);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.sysctl(Sysctl.NET_IPV4_VS_CONNTRACK, 1);
        n.withTwoServers();
        n.closedConnection(40001);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        // 4.19.220 also has f0a5e4d7 (4.19.140): the unconfirmed conntrack does not cause a drop
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
    }

    @Test
    void aLocalRealServerIsShownAsLocalAndItsPacketsGoToTheLocalStackUnchanged() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:80 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.1.1:80 -m -w 1");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout())
                .contains("  -> 10.250.1.1:80                Local   1      0          0         \n");
        List<String> delivered = new ArrayList<>();
        n.e.hook(Hook.INPUT, new HookEntry("socket_probe", 500, (p, ns, h) -> {
            delivered.add(p.describe());
            return Verdict.ACCEPT;
        }));
        n.client(40000, TcpFlags.SYN);
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(delivered).containsExactly("10.250.1.2:40000 > 10.250.100.100:80 tcp [S] seq 0 len 0");
        assertThat(n.conn(40000).stateName()).isEqualTo("SYN_RECV");
    }
}
