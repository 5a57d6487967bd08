package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpvsadmReaderTest {

    @Test
    void readsTheFixtureList() {
        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> p = IpvsadmReader.readList(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.250.100.100:80 rr\n"
                + "  -> 10.250.2.2:8080              Masq    1      0          0         \n"
                + "  -> 10.250.3.2:8080              Masq    0      0          1         \n"
                + "TCP  10.96.0.10:80 rr persistent 10800\n");
        assertThat(p.errors()).isEmpty();
        assertThat(p.records()).hasSize(2);
        IpvsadmReader.ServiceRecord s = p.records().get(0);
        assertThat(s.proto()).isEqualTo("TCP");
        assertThat(s.addr()).isEqualTo(Ip4.parse("10.250.100.100"));
        assertThat(s.scheduler()).isEqualTo("rr");
        assertThat(s.dests()).containsExactly(
                new IpvsadmReader.DestRecord(Ip4.parse("10.250.2.2"), 8080, "Masq", 1, 0, 0),
                new IpvsadmReader.DestRecord(Ip4.parse("10.250.3.2"), 8080, "Masq", 0, 0, 1));
        assertThat(p.records().get(1).persistent()).isEqualTo(10800);
    }

    @Test
    void readsWhatTheModelPrints() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.closedConnection(40000);
        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> p = IpvsadmReader.readList(IpvsFormat.list(n.ipvs));
        assertThat(p.errors()).isEmpty();
        assertThat(p.records().get(0).dests()).extracting(IpvsadmReader.DestRecord::inactConns).containsExactly(0L, 1L);
        IpvsadmReader.Parsed<IpvsadmReader.ConnRecord> c = IpvsadmReader.readConnections(IpvsFormat.connections(n.ipvs));
        assertThat(c.errors()).isEmpty();
        assertThat(c.records()).containsExactly(new IpvsadmReader.ConnRecord("TCP", 120, "TIME_WAIT",
                Ip4.parse("10.250.1.2"), 40000, Ip4.parse("10.250.100.100"), 80, Ip4.parse("10.250.3.2"), 8080));
    }

    @Test
    void readsTheFixtureProcConnections() {
        IpvsadmReader.Parsed<IpvsadmReader.ConnRecord> p = IpvsadmReader.readProcConnections(""
                + "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
                + "TCP 0AFA0102 A417 0AFA6464 0051 0AFA0302 1F91 ESTABLISHED     893\n");
        assertThat(p.errors()).isEmpty();
        assertThat(p.records()).containsExactly(new IpvsadmReader.ConnRecord("TCP", 893, "ESTABLISHED",
                Ip4.parse("10.250.1.2"), 42007, Ip4.parse("10.250.100.100"), 81, Ip4.parse("10.250.3.2"), 8081));
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndTheRestIsRead() {
        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> p = IpvsadmReader.readList(""
                + "  -> 10.250.2.2:8080              Masq    1      0          0\n"
                + "TCP  10.250.100.100:80 rr\n"
                + "  -> 10.250.2.2:80x0              Masq    1      0          0\n"
                + "  -> 10.250.3.2:8080              Masq    1\n"
                + "FOO bar\n"
                + "  -> 10.250.3.2:8080              Masq    1      2          3\n");
        assertThat(p.errors()).containsExactly(
                "line 1: expected a service line (PROTO ADDRESS:PORT SCHEDULER) before the real servers",
                "line 3: expected a port (0..65535) in \"10.250.2.2:80x0\", got \"80x0\"",
                "line 4: expected -> ADDRESS:PORT FORWARD WEIGHT ACTIVECONN INACTCONN",
                "line 5: expected a service line: TCP, UDP, SCTP or FWM, then ADDRESS:PORT");
        assertThat(p.records()).hasSize(1);
        assertThat(p.records().get(0).dests()).isEmpty();
        assertThat(p.lines()).containsExactly(2);
        IpvsadmReader.Parsed<IpvsadmReader.ConnRecord> c = IpvsadmReader.readConnections(
                "TCP 1:2:3  TIME_WAIT   10.250.1.2:40000   10.250.100.100:80  10.250.3.2:8080\nTCP x\n");
        assertThat(c.errors()).containsExactly("line 1: expected the expiry as MM:SS, got \"1:2:3\"",
                "line 2: expected 6 fields: PRO EXPIRE STATE SOURCE VIRTUAL DESTINATION");
    }

    @Test
    void readsProcIpVsStatsAndRate() {
        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> proc = IpvsadmReader.readList(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n"
                + "TCP  0AFA6464:0051 rr  \n"
                + "  -> 0AFA0202:1F91      Masq    1      0          2         \n"
                + "TCP  0A60000A:0050 rr  persistent 2700000 FFFFFFFF\n");
        assertThat(proc.errors()).isEmpty();
        assertThat(proc.records()).extracting(IpvsadmReader.ServiceRecord::port).containsExactly(81, 80);
        assertThat(proc.records().get(0).dests()).containsExactly(
                new IpvsadmReader.DestRecord(Ip4.parse("10.250.2.2"), 8081, "Masq", 1, 0, 2));
        assertThat(proc.records().get(1).persistent()).isEqualTo(10800); // jiffies at HZ 250
        assertThat(proc.lines()).containsExactly(4, 6);
        assertThat(proc.records().get(0).destLines()).containsExactly(5);

        IpvsadmReader.Parsed<IpvsadmReader.ServiceRecord> stats = IpvsadmReader.readList(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.250.100.100:81                   1        3        2      164      138\n"
                + "  -> 10.250.2.2:8081                     1        4        2      216     138K\n"
                + "  -> 10.250.3.2:8081                     1        4        2      216\n");
        assertThat(stats.errors()).containsExactly("line 6: expected -> ADDRESS:PORT and five counters");
        assertThat(stats.records().get(0).dests()).containsExactly(
                new IpvsadmReader.DestRecord(Ip4.parse("10.250.2.2"), 8081, "", -1, -1, -1));
    }
}
