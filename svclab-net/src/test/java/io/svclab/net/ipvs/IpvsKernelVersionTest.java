package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour matrix of spec section 1.8 and the counters of 2.5, per kernel profile. */
class IpvsKernelVersionTest {

    /** Connection #1 on rs2 ends in TIME_WAIT, rs2 gets weight 0: the rollout of kubernetes#81775. */
    private static IpvsNode reusedPortOnWeight0(String kernel, int reuse, int conntrack, FakeConntrack ct) {
        IpvsNode n = new IpvsNode(kernel, ct);
        n.sysctl(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, reuse);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.sysctl(Sysctl.NET_IPV4_VS_CONNTRACK, conntrack);
        n.withTwoServers();
        assertThat(n.closedConnection(40001)).isEqualTo(IpvsNode.RS2);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        n.seconds(0.5);
        return n;
    }

    @Test
    void kernel419WithConntrackDropsTheRescheduledSynAndTheRetransmissionGoesToALiveServer() {
        FakeConntrack ct = new FakeConntrack(false);
        IpvsNode n = reusedPortOnWeight0("4.19", 1, 1, ct);

        assertThat(n.synGoesTo(40001)).isEqualTo("none");
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.DROP);
        assertThat(n.conn(40001)).isNull();
        assertThat(ct.calls).contains("dropConntrack 10.250.1.2:40001 > 10.250.100.100:80");
        assertThat(n.ipvs.counters().reuseDropped()).isEqualTo(1);

        n.seconds(1);
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.conn(40001).stateName()).isEqualTo("SYN_RECV");
    }

    @Test
    void kernel419WithConntrackDropsAlsoOnPlainTimeWaitReuse() {
        IpvsNode n = new IpvsNode("4.19", new FakeConntrack(false));
        n.sysctl(Sysctl.NET_IPV4_VS_CONNTRACK, 1);
        n.withTwoServers();
        n.closedConnection(40001);
        assertThat(n.synGoesTo(40001)).isEqualTo("none");
        n.seconds(1);
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
    }

    @Test
    void rhel7KernelHasTheDropToo() {
        IpvsNode n = reusedPortOnWeight0("3.10", 1, 1, new FakeConntrack(false));
        assertThat(n.synGoesTo(40001)).isEqualTo("none");
    }

    @Test
    void kernel49BeforeTheDropPatchReschedulesWithoutDrop() {
        IpvsNode n = reusedPortOnWeight0("4.9", 1, 1, new FakeConntrack(false));
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
    }

    @Test
    void kernel419WithoutConntrackReschedulesWithoutDrop() {
        IpvsNode n = reusedPortOnWeight0("4.19", 1, 0, new FakeConntrack(false));
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
    }

    @Test
    void kernel510ReschedulesAtOnceWhenTheConntrackEntryIsNew() {
        FakeConntrack ct = new FakeConntrack(false);
        IpvsNode n = reusedPortOnWeight0("5.10", 1, 1, ct);
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.STOLEN);
        // NFCT was cleared before expiring the old entry: the new conntrack entry is not killed
        assertThat(ct.calls).doesNotContain("dropConntrack 10.250.1.2:40001 > 10.250.100.100:80");
    }

    @Test
    void kernel510StillDropsWhenTheOldConntrackEntryIsConfirmed() {
        IpvsNode n = reusedPortOnWeight0("5.10", 1, 1, new FakeConntrack(true));
        assertThat(n.synGoesTo(40001)).isEqualTo("none");
        assertThat(n.lastInVerdict()).isEqualTo(Verdict.DROP);
    }

    @Test
    void kernel419ReuseMode0FollowsTheOldEntryToTheWeight0Server() {
        IpvsNode n = reusedPortOnWeight0("4.19", 0, 1, new FakeConntrack(false));
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(0);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(1);
        assertThat(n.synGoesTo(40001)).isEqualTo("rs2");
        assertThat(n.conn(40001).stateName()).isEqualTo("SYN_RECV");
        assertThat(n.conn(40001).expiresInSeconds()).isEqualTo(60);
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
    }

    @Test
    void kernel510WithoutTheBackportReuseMode0FollowsTheOldEntry() {
        IpvsNode n = reusedPortOnWeight0("5.10.80", 0, 1, new FakeConntrack(false));
        assertThat(n.synGoesTo(40001)).isEqualTo("rs2");
    }

    @Test
    void kernel516ReuseMode0WithExpireNodestReschedules() {
        IpvsNode n = reusedPortOnWeight0("5.16", 0, 1, new FakeConntrack(false));
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
    }

    @Test
    void kernel47CountsSynRecvAsInactive() {
        IpvsNode n = new IpvsNode("4.7").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(0);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(1);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
    }

    @Test
    void kernel48CountsSynRecvAsActive() {
        IpvsNode n = new IpvsNode("4.8").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS2).inactConns()).isEqualTo(0);
    }

    @Test
    void retransmittedSynsKeepASynRecvEntryOnADeadWeight0ServerAlive() {
        IpvsNode n = reusedPortOnWeight0("4.19", 0, 1, new FakeConntrack(false));
        n.synGoesTo(40001);
        n.seconds(31);
        n.synGoesTo(40001);
        assertThat(n.conn(40001).expiresInSeconds()).isEqualTo(60);
        n.seconds(59);
        assertThat(n.conn(40001)).isNotNull();
        n.seconds(1);
        assertThat(n.conn(40001)).isNull();
    }
}
