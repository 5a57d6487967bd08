package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Output bytes against /work/shared/oracle/fixtures/ipvs-*.txt (real ipvsadm 1.31 on 6.1). */
class IpvsFormatTest {

    @Test
    void listMatchesTheFixtureBeforeAndAfterWeight0() {
        // fixtures/ipvs-reuse1-ct1-nodest1-weight0.txt
        IpvsNode n = new IpvsNode("6.1", new FakeConntrack(false));
        n.sysctl(Sysctl.NET_IPV4_VS_CONNTRACK, 1);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.withTwoServers();
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.250.100.100:80 rr\n"
                + "  -> 10.250.2.2:8080              Masq    1      0          0         \n"
                + "  -> 10.250.3.2:8080              Masq    1      0          0         \n");
        n.closedConnection(40001);
        assertThat(n.adm.exec("ipvsadm -Lnc").stdout()).isEqualTo(""
                + "IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 02:00  TIME_WAIT   10.250.1.2:40001   10.250.100.100:80  10.250.3.2:8080\n");
        n.seconds(0.5);
        assertThat(IpvsFormat.procIpVsConn(n.ipvs)).isEqualTo(""
                + "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
                + "TCP 0AFA0102 9C41 0AFA6464 0050 0AFA0302 1F90 TIME_WAIT       119\n");
        assertThat(n.adm.exec("ipvsadm -Lnc").stdout()).endsWith(
                "TCP 01:59  TIME_WAIT   10.250.1.2:40001   10.250.100.100:80  10.250.3.2:8080\n");
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.250.100.100:80 rr\n"
                + "  -> 10.250.2.2:8080              Masq    1      0          0         \n"
                + "  -> 10.250.3.2:8080              Masq    0      0          1         \n");
        // #2 from the same port is rescheduled to rs1; the entry shows the new destination
        n.client(40001, TcpFlags.SYN);
        n.closedConnection(41001);
        n.server(IpvsNode.RS1, 40001, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40001, TcpFlags.ACK);
        n.server(IpvsNode.RS1, 40001, TcpFlags.FIN | TcpFlags.ACK);
        n.client(40001, TcpFlags.FIN | TcpFlags.ACK);
        n.server(IpvsNode.RS1, 40001, TcpFlags.ACK);
        n.seconds(0.5);
        assertThat(IpvsFormat.procConnRow(n.conn(40001)))
                .isEqualTo("TCP 0AFA0102 9C41 0AFA6464 0050 0AFA0202 1F90 TIME_WAIT       119\n");
    }

    @Test
    void connectionListingsMatchTheFinalStateFixtureRowByRow() {
        // fixtures/ipvs-final-state.txt: service :81, two ESTABLISHED entries on 10.250.3.2:8081
        // (14:46 and 14:53 left) and two CLOSE entries on 10.250.2.2:8081 (2 s and 9 s left)
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:81 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:81 -r 10.250.2.2:8081 -m -w 1");
        n.run("ipvsadm -a -t 10.250.100.100:81 -r 10.250.3.2:8081 -m -w 1");
        established(n, 42006, IpvsNode.RS2, "rs2");
        n.seconds(6);
        established(n, 43006, IpvsNode.RS1, "rs1");
        reset(n, 43006);
        n.seconds(1);
        established(n, 42007, IpvsNode.RS2, "rs2");
        n.seconds(6);
        established(n, 43007, IpvsNode.RS1, "rs1");
        reset(n, 43007);
        n.seconds(1);
        String lnc = n.adm.exec("ipvsadm -Lnc").stdout();
        assertThat(lnc.split("\n")).containsExactlyInAnyOrder(
                "IPVS connection entries",
                "pro expire state       source             virtual            destination",
                "TCP 14:53  ESTABLISHED 10.250.1.2:42007   10.250.100.100:81  10.250.3.2:8081",
                "TCP 00:02  CLOSE       10.250.1.2:43006   10.250.100.100:81  10.250.2.2:8081",
                "TCP 00:09  CLOSE       10.250.1.2:43007   10.250.100.100:81  10.250.2.2:8081",
                "TCP 14:46  ESTABLISHED 10.250.1.2:42006   10.250.100.100:81  10.250.3.2:8081");
        assertThat(IpvsFormat.procIpVsConn(n.ipvs).split("\n")).containsExactlyInAnyOrder(
                "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData",
                "TCP 0AFA0102 A417 0AFA6464 0051 0AFA0302 1F91 ESTABLISHED     893",
                "TCP 0AFA0102 A7FE 0AFA6464 0051 0AFA0202 1F91 CLOSE             2",
                "TCP 0AFA0102 A7FF 0AFA6464 0051 0AFA0202 1F91 CLOSE             9",
                "TCP 0AFA0102 A416 0AFA6464 0051 0AFA0302 1F91 ESTABLISHED     886");
        // the fixture's real server 10.250.3.2 had been deleted: /proc/net/ip_vs lists only 10.250.2.2
        n.run("ipvsadm -d -t 10.250.100.100:81 -r 10.250.3.2:8081");
        assertThat(IpvsFormat.procIpVs(n.ipvs)).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n"
                + "TCP  0AFA6464:0051 rr  \n"
                + "  -> 0AFA0202:1F91      Masq    1      0          2         \n");
    }

    private static void established(IpvsNode n, int cport, String rs, String dev) {
        n.e.receive(n.e.tcp(IpvsNode.CLIENT, cport, IpvsNode.VIP, 81, TcpFlags.SYN), "cli0");
        assertThat(n.e.readOutbound()).extracting(s -> s.device()).containsExactly(dev);
        n.e.receive(n.e.tcp(rs, 8081, IpvsNode.CLIENT, cport, TcpFlags.SYN | TcpFlags.ACK), dev);
        n.e.receive(n.e.tcp(IpvsNode.CLIENT, cport, IpvsNode.VIP, 81, TcpFlags.ACK), "cli0");
        n.e.readOutbound();
    }

    private static void reset(IpvsNode n, int cport) {
        n.e.receive(n.e.tcp(IpvsNode.CLIENT, cport, IpvsNode.VIP, 81, TcpFlags.RST), "cli0");
        n.e.readOutbound();
    }

    @Test
    void statsMatchTheFinalStateFixture() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:81 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:81 -r 10.250.2.2:8081 -m -w 1");
        IpvsService s = n.ipvs.service(6, Ip4.parse(IpvsNode.VIP), 81);
        set(s.stats, 1, 3, 2, 164, 138);
        set(s.dests().get(0).stats, 1, 4, 2, 216, 138);
        assertThat(n.adm.exec("ipvsadm -Ln --stats").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.250.100.100:81                   1        3        2      164      138\n"
                + "  -> 10.250.2.2:8081                     1        4        2      216      138\n");
    }

    private static void set(IpvsStats st, long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
        st.conns = conns;
        st.inPkts = inPkts;
        st.outPkts = outPkts;
        st.inBytes = inBytes;
        st.outBytes = outBytes;
    }

    @Test
    void largeNumbersAreScaledAsPrintLargenumDoes() {
        assertThat(IpvsFormat.largenum(99_999_999L)).isEqualTo(" 99999999");
        assertThat(IpvsFormat.largenum(123_456_789L)).isEqualTo("  123456K");
        assertThat(IpvsFormat.largenum(12_345_678_901L)).isEqualTo("   12345M");
        assertThat(IpvsFormat.largenum(123_456_789_012_345L)).isEqualTo("     123T");
    }

    @Test
    void rateListingHasTheRateHeader() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        assertThat(n.adm.exec("ipvsadm -Ln --rate").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.250.100.100:80                   0        0        0        0        0\n"
                + "  -> 10.250.2.2:8080                     0        0        0        0        0\n"
                + "  -> 10.250.3.2:8080                     0        0        0        0        0\n");
    }

    @Test
    void statsCountPacketsAndBytesBothWays() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        IpvsDest d = n.dest(IpvsNode.RS2);
        assertThat(d.stats().conns()).isEqualTo(1);
        assertThat(d.stats().inPkts()).isEqualTo(2);
        assertThat(d.stats().outPkts()).isEqualTo(1);
        assertThat(d.stats().inBytes()).isEqualTo(80);
        assertThat(n.ipvs.totalStats().outBytes()).isEqualTo(40);
    }

    @Test
    void persistentServiceListings() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.96.0.10:80 -s rr -p 10800");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.2.7:8080 -m -w 0");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.96.0.10:80 rr persistent 10800\n"
                + "  -> 10.244.1.5:8080              Masq    1      0          0         \n"
                + "  -> 10.244.2.7:8080              Masq    0      0          0         \n");
        assertThat(IpvsFormat.procIpVs(n.ipvs)).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n"
                + "TCP  0A60000A:0050 rr  persistent 2700000 FFFFFFFF\n"
                + "  -> 0AF40207:1F90      Masq    0      0          0         \n"
                + "  -> 0AF40105:1F90      Masq    1      0          0         \n");
    }

    @Test
    void specV31AndV32Rows() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.96.0.10:80 -s rr");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.2.7:8080 -m -w 0");
        IpvsDest d = n.ipvs.services().get(0).dests().get(0);
        d.activeConns = 1;
        d.inactConns = 211;
        assertThat(n.adm.exec("ipvsadm -Ln").stdout())
                .contains("  -> 10.244.2.7:8080              Masq    0      1          211       \n");
    }

    @Test
    void addressesSortAsIpvsadmDoesAndProcKeepsKernelOrder() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:80 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.3:8080 -m");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.2:8081 -m");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.2:8080 -m");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout().split("\n")).containsSubsequence(
                "  -> 10.250.2.2:8080              Masq    1      0          0         ",
                "  -> 10.250.2.2:8081              Masq    1      0          0         ",
                "  -> 10.250.2.3:8080              Masq    1      0          0         ");
        assertThat(IpvsFormat.procIpVs(n.ipvs).split("\n")).containsSubsequence(
                "  -> 0AFA0202:1F90      Masq    1      0          0         ",
                "  -> 0AFA0202:1F91      Masq    1      0          0         ",
                "  -> 0AFA0203:1F90      Masq    1      0          0         ");
    }

    @Test
    void procIpVsStatsIsHexadecimal() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        assertThat(IpvsFormat.procIpVsStats(n.ipvs)).isEqualTo(""
                + "   Total Incoming Outgoing         Incoming         Outgoing\n"
                + "   Conns  Packets  Packets            Bytes            Bytes\n"
                + "       1        1        1               28               28\n"
                + "\n"
                + " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n"
                + "       0        0        0                0                0\n");
    }

    @Test
    void addressesMoreThanHalfTheSpaceApartSortAsIpvsadmDoes() {
        // ipvsadm compares (int)(ntohl(a) - ntohl(b)): 10.96.0.10 - 192.168.1.1 is positive, so the
        // 10.x service is listed after the 192.168.x one
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.96.0.10:80 -s rr");
        n.run("ipvsadm -A -t 192.168.1.1:80 -s rr");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).endsWith(""
                + "TCP  192.168.1.1:80 rr\n"
                + "TCP  10.96.0.10:80 rr\n");
        // with a third service the merge sort never compares the first two: [A] merged with
        // sort([B, C]) = [C, B], and A < C, so A C B
        n.run("ipvsadm -A -t 100.64.0.1:80 -s rr");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).endsWith(""
                + "TCP  10.96.0.10:80 rr\n"
                + "TCP  100.64.0.1:80 rr\n"
                + "TCP  192.168.1.1:80 rr\n");
        List<Integer> many = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(i * 0x2345_6789);
        }
        IpvsFormat.msort(many, (a, b) -> a - b);
        assertThat(many).hasSize(200);
    }
}
