package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.conntrack.CtFormat;
import io.svclab.net.conntrack.CtStatus;
import io.svclab.net.conntrack.TcpConntrackTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries seeded from dumps ({@link Ipvs#restoreConnection}, {@link ConntrackTable#restore}) print
 * back as the dump of the oracle fixture ipvs-reuse0-ct1-nodest0-weight0.txt showed them, and the
 * datapath treats them as the kernel treated the real ones.
 */
class IpvsRestoreTest {

    @Test
    void aSeededTimeWaitEntryListsAsTheFixtureAndCatchesTheReusedPort() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.sysctl(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 0);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        IpvsConn c = n.ipvs.restoreConnection(6, Ip4.parse(IpvsNode.CLIENT), 40004, Ip4.parse(IpvsNode.VIP), 80,
                n.dest(IpvsNode.RS2), IpvsTcpStates.TIME_WAIT, 119);
        assertThat(IpvsFormat.connRow(c))
                .isEqualTo("TCP 01:59  TIME_WAIT   10.250.1.2:40004   10.250.100.100:80  10.250.3.2:8080\n");
        assertThat(IpvsFormat.procConnRow(c))
                .isEqualTo("TCP 0AFA0102 9C44 0AFA6464 0050 0AFA0302 1F90 TIME_WAIT       119\n");
        assertThat(IpvsFormat.list(n.ipvs)).contains(
                "  -> 10.250.3.2:8080              Masq    0      0          1         \n");
        // conn_reuse_mode=0 on 6.1 with expire_nodest_conn=0: the SYN goes to the weight-0 server
        assertThat(n.synGoesTo(40004)).isEqualTo("rs2");
        assertThat(n.conn(40004).stateName()).isEqualTo("SYN_RECV");
    }

    @Test
    void anEstablishedSeedCountsAsActiveAndExpiresWhenItsTimeIsUp() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.ipvs.restoreConnection(6, Ip4.parse(IpvsNode.CLIENT), 42007, Ip4.parse(IpvsNode.VIP), 80,
                n.dest(IpvsNode.RS1), IpvsTcpStates.ESTABLISHED, 893);
        assertThat(n.dest(IpvsNode.RS1).activeConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS1).inactConns()).isZero();
        n.seconds(893);
        assertThat(n.conn(42007)).isNotNull();
        n.seconds(1);
        assertThat(n.conn(42007)).isNull();
        assertThat(n.dest(IpvsNode.RS1).activeConns()).isZero();
    }

    @Test
    void aSeededConntrackEntryPrintsAsTheDumpAndIsReopenedByASyn() {
        io.svclab.net.EmbeddedNetns e = new io.svclab.net.EmbeddedNetns("6.1");
        Conntrack.install(e.ns());
        ConntrackTable t = e.ns().attachment(ConntrackTable.class);
        Conn c = t.restore(6, Ip4.parse("10.250.1.2"), Ip4.parse("10.250.100.100"), 40004, 80, Ip4.parse("10.250.3.2"),
                Ip4.parse("10.250.1.2"), 8080, 40004, TcpConntrackTable.TIME_WAIT, CtStatus.SEEN_REPLY | CtStatus.ASSURED,
                119_500_000_000L);
        assertThat(CtFormat.procLine(c, e.sim().now())).isEqualTo("ipv4     2 tcp      6 119 TIME_WAIT src=10.250.1.2"
                + " dst=10.250.100.100 sport=40004 dport=80 src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40004"
                + " [ASSURED] mark=0 zone=0 use=2");
        assertThat(t.restore(6, Ip4.parse("10.250.1.2"), Ip4.parse("10.250.100.100"), 40004, 80, Ip4.parse("10.250.3.2"),
                Ip4.parse("10.250.1.2"), 8080, 40004, TcpConntrackTable.TIME_WAIT, 0, 1)).isNull(); // clash
        e.device("cli0", "10.250.1.1", 24);
        e.receive(e.tcp("10.250.1.2", 40004, "10.250.100.100", 80, io.svclab.net.TcpFlags.SYN), "cli0");
        Conn now = t.lookup(6, Ip4.parse("10.250.1.2"), Ip4.parse("10.250.100.100"), 40004, 80);
        assertThat(now).isNotSameAs(c); // the TIME_WAIT entry was killed and the SYN started a new one
    }
}
