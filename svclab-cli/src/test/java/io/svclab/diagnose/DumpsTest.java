package io.svclab.diagnose;

import io.svclab.kernel.KernelProfiles;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dump readers on the oracle fixtures: formats detected, every entry counted, bad lines located. */
class DumpsTest {

    @Test
    void procConntrackOfTheIptablesOracle() throws DumpException {
        Dumps.Conntrack c = Dumps.conntrack("nf_conntrack.txt", Fixtures.text("iptables-reuse-nth.proc-nf_conntrack.txt"));
        assertThat(c.format()).isEqualTo("/proc/net/nf_conntrack");
        assertThat(c.entries()).hasSize(7);
        Dumps.CtEntry e = c.entries().get(5);
        assertThat(e.line().no()).isEqualTo(6);
        assertThat(e.sport()).isEqualTo(40004);
        assertThat(Ip4.format(e.replySrc())).isEqualTo("10.250.2.2");
        assertThat(e.ct().state()).isEqualTo("TIME_WAIT");
        assertThat(e.ct().timeout()).isEqualTo(114L);
    }

    @Test
    void conntrackListFormats() throws DumpException {
        String id = "tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 sport=40000 dport=80 src=10.250.2.2"
                + " dst=10.250.1.2 sport=8080 dport=40000 [ASSURED] mark=0 use=1 id=4096715553\n";
        assertThat(Dumps.conntrack("a", id).format()).isEqualTo("conntrack -L -o id");
        assertThat(Dumps.conntrack("a", id.replace(" id=4096715553", "")).format()).isEqualTo("conntrack -L");
        Dumps.Conntrack ext = Dumps.conntrack("a", "ipv4     2 " + id.replace(" id=4096715553", "")
                + "conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n");
        assertThat(ext.format()).isEqualTo("conntrack -L -o extended");
        assertThat(ext.entries()).hasSize(1);
        // IPv6 entries are read and counted, not modelled
        Dumps.Conntrack v6 = Dumps.conntrack("a", "tcp      6 431999 ESTABLISHED src=fd00::4 dst=fd00::a sport=40000"
                + " dport=80 src=fd00::2 dst=fd00::4 sport=8080 dport=40000 [ASSURED] mark=0 use=1\n"
                + "ipv6     10 udp      17 29 src=fd00::4 dst=fd00::a sport=5353 dport=53 [UNREPLIED] src=fd00::a"
                + " dst=fd00::4 sport=53 dport=5353 mark=0 zone=0 use=2\n");
        assertThat(v6.entries()).extracting(Dumps.CtEntry::ipv4).containsExactly(false, false);
    }

    @Test
    void ipvsadmListAndItsOtherForms() throws DumpException {
        String name = "ipvs-reuse0-ct1-nodest0-weight0.txt";
        Dumps.IpvsList ln = Dumps.ipvsList("ln", Fixtures.blocks(name, "ipvsadm -Ln").get(1));
        assertThat(ln.format()).isEqualTo("ipvsadm -Ln");
        assertThat(ln.entries()).isEqualTo(3);
        assertThat(ln.dests()).extracting(d -> d.dest().weight()).containsExactly(1, 0);
        assertThat(ln.dests()).extracting(d -> d.line().no()).containsExactly(5, 6);

        String fin = "ipvs-final-state.txt";
        Dumps.IpvsList stats = Dumps.ipvsList("stats", Fixtures.blocks(fin, "ipvsadm -Ln --stats").get(0));
        assertThat(stats.format()).isEqualTo("ipvsadm -Ln --stats");
        assertThat(stats.entries()).isEqualTo(2);
        assertThat(Ip4.endpoint(stats.dests().get(0).dest().addr(), stats.dests().get(0).dest().port()))
                .isEqualTo("10.250.2.2:8081");

        Dumps.IpvsList proc = Dumps.ipvsList("ip_vs", Fixtures.blocks(fin, "/proc/net/ip_vs").get(0));
        assertThat(proc.format()).isEqualTo("/proc/net/ip_vs");
        assertThat(proc.entries()).isEqualTo(2);
        assertThat(Ip4.endpoint(proc.services().get(0).addr(), proc.services().get(0).port())).isEqualTo("10.250.100.100:81");
        assertThat(proc.dests().get(0).dest().weight()).isEqualTo(1);
        assertThat(proc.dests().get(0).dest().inactConns()).isEqualTo(2);

        Dumps.IpvsList rate = Dumps.ipvsList("rate", "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.96.0.10:80                       1        3        2      164       1K\n"
                + "  -> 10.244.1.2:8080                     1        3        2      164       1K\n");
        assertThat(rate.format()).isEqualTo("ipvsadm -Ln --rate");
        assertThat(rate.entries()).isEqualTo(2);
    }

    @Test
    void connectionListings() throws DumpException {
        String fin = "ipvs-final-state.txt";
        Dumps.IpvsConns lnc = Dumps.ipvsConns("lnc", Fixtures.blocks(fin, "ipvsadm -Lnc").get(0));
        assertThat(lnc.format()).isEqualTo("ipvsadm -Lnc");
        assertThat(lnc.entries()).extracting(e -> e.rec().expiresSeconds()).containsExactly(893L, 2L, 9L, 886L);
        assertThat(lnc.entries()).extracting(e -> e.line().no()).containsExactly(3, 4, 5, 6);
        Dumps.IpvsConns proc = Dumps.ipvsConns("proc", Fixtures.blocks(fin, "/proc/net/ip_vs_conn").get(0));
        assertThat(proc.format()).isEqualTo("/proc/net/ip_vs_conn");
        assertThat(proc.entries()).extracting(e -> e.rec().cport()).containsExactly(42007, 43006, 43007, 42006);
        assertThat(proc.entries()).extracting(e -> e.rec()).isEqualTo(lnc.entries().stream().map(e -> e.rec()).toList());
    }

    @Test
    void sysctlKeepsTheKnownKeysAndChecksEveryLine() throws DumpException {
        Dumps.Sysctls s = Dumps.sysctl("sysctl-a.txt", Fixtures.blocks("ipvs-final-state.txt", "sysctl net.ipv4.vs").get(0),
                KernelProfiles.get("6.1"));
        assertThat(s.lines()).isEqualTo(27);
        assertThat(s.known().get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE).value()).isEqualTo(1);
        assertThat(s.known().get(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE).value()).isEqualTo(1);
        assertThat(s.known()).containsOnlyKeys(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, Sysctl.NET_IPV4_VS_CONNTRACK,
                Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE,
                Sysctl.NET_IPV4_VS_SLOPPY_TCP);
        assertThat(Dumps.sysctl("s", "kernel.domainname = (none)\nnet.ipv4.ip_local_port_range = 32768\t60999\n",
                KernelProfiles.get("6.1")).known()).containsOnlyKeys(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE);
    }

    @Test
    void badLinesNameFileLineWhatWasExpectedAndTheLine() {
        String ct = Fixtures.text("iptables-reuse-nth.proc-nf_conntrack.txt");
        String bad = ct.replaceFirst("sport=40003 dport=80 src=10.250.3.2 dst=10.250.1.2 sport=8080",
                "sport=40003 dport=80 src=10.250.3.2 dst=10.250.1.2 sport=80X0");
        assertThatThrownBy(() -> Dumps.conntrack("nf_conntrack.txt", bad)).isInstanceOf(DumpException.class)
                .hasMessage("nf_conntrack.txt:4: expected a number in \"sport=80X0\": ipv4     2 tcp      6 1 CLOSE"
                        + " src=10.250.1.2 dst=10.250.100.100 sport=40003 dport=80 src=10.250.3.2 dst=10.250.1.2"
                        + " sport=80X0 dport=40003 [ASSURED] mark=0 zone=0 use=2");
        // a truncated line
        assertThatThrownBy(() -> Dumps.conntrack("c", "tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 sport=4"))
                .hasMessage("c:1: expected dport=N, got end of line: tcp      6 119 TIME_WAIT"
                        + " src=10.250.1.2 dst=10.250.100.100 sport=4");
        assertThatThrownBy(() -> Dumps.ipvsConns("lnc", "IPVS connection entries\nTCP 01:59  TIME_WAIT   10.250.1.2:40004"))
                .hasMessage("lnc:2: expected 6 fields: PRO EXPIRE STATE SOURCE VIRTUAL DESTINATION:"
                        + " TCP 01:59  TIME_WAIT   10.250.1.2:40004");
        assertThatThrownBy(() -> Dumps.ipvsConns("p", "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires\n"
                + "TCP 0AFA0102 9C4G 0AFA6464 0050 0AFA0302 1F90 TIME_WAIT       119\n"))
                .hasMessage("p:2: expected a port as 4 hexadecimal digits, got \"9C4G\":"
                        + " TCP 0AFA0102 9C4G 0AFA6464 0050 0AFA0302 1F90 TIME_WAIT       119");
        assertThatThrownBy(() -> Dumps.ipvsList("ln", "TCP  10.250.100.100:80 rr\n  -> 10.250.3.2:8080   Masq   zero 0 1\n"))
                .hasMessage("ln:2: expected a weight, got \"zero\":   -> 10.250.3.2:8080   Masq   zero 0 1");
        assertThatThrownBy(() -> Dumps.sysctl("s", "net.ipv4.vs.conntrack = 1\nnet.ipv4.vs.conn_reuse_mode 0\n",
                KernelProfiles.get("6.1")))
                .hasMessage("s:2: expected KEY = VALUE as sysctl -a prints it: net.ipv4.vs.conn_reuse_mode 0");
        assertThatThrownBy(() -> Dumps.sysctl("s", "net.ipv4.vs.conn_reuse_mode = 7\n", KernelProfiles.get("6.1")))
                .hasMessage("s:1: net.ipv4.vs.conn_reuse_mode: expected an integer in 0..3, got \"7\":"
                        + " net.ipv4.vs.conn_reuse_mode = 7");
        assertThatThrownBy(() -> Dumps.iptables("save", "*nat\n-A NOPE -j DNAT --to-destination 10.0.0.1:80\nCOMMIT\n"))
                .isInstanceOf(DumpException.class).hasMessageStartingWith("save:2: ")
                .hasMessageEndingWith(": -A NOPE -j DNAT --to-destination 10.0.0.1:80");
    }
}
