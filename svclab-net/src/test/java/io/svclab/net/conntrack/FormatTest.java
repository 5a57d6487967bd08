package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.PSH;
import static io.svclab.net.TcpFlags.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.kernel.Sysctl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Spec §5: every conntrack line of the oracle fixtures parses and prints back byte for byte; the
 * simulator's own entries print as the kernel and conntrack-tools would.
 */
class FormatTest {

    static final List<String> FIXTURES = List.of("iptables-reuse-nth.proc-nf_conntrack.txt",
            "iptables-reuse-nth.ct-events.txt", "iptables-reuse-nth.transcript.txt", "ipvs-final-state.txt",
            "ipvs-reuse0-ct0-nodest0-delete.txt", "ipvs-reuse0-ct1-nodest0-weight0.txt",
            "ipvs-reuse1-ct1-nodest1-weight0.txt");

    private static final Pattern START = Pattern.compile("(\\[\\d+\\.\\d+\\]\t|ipv4 +\\d+ |(tcp|udp|icmp) +\\d+ )");

    static Stream<Arguments> fixtureLines() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String f : FIXTURES) {
            String text;
            try (InputStream in = FormatTest.class.getResourceAsStream("/oracle/" + f)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (!l.contains(" src=") || !l.contains(" dst=")) {
                    continue;
                }
                Matcher m = START.matcher(l);
                if (m.find()) {
                    out.add(Arguments.of(f + ":" + (i + 1), l.substring(m.start())));
                }
            }
        }
        return out.stream();
    }

    @Test
    void theFixturesHoldTheExpectedNumberOfConntrackLines() throws IOException {
        // 7 /proc lines, 103 events, 141 transcript lines (19 /proc + 19 -L + 103 events), 4 IPVS /proc lines
        assertThat(fixtureLines().count()).isEqualTo(7 + 103 + 141 + 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureLines")
    void realLineRoundTrips(String where, String line) {
        List<String> errors = new ArrayList<>();
        CtLine parsed = CtParser.parseLine(line, 1, errors);
        assertThat(errors).isEmpty();
        assertThat(CtFormat.format(parsed)).isEqualTo(line);
    }

    @Test
    void parserReportsLineNumbersWithoutThrowing() {
        CtParser.Result r = CtParser.parse("tcp      6 119 TIME_WAIT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 "
                + "src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [ASSURED] mark=0 use=1\n\n"
                + "tcp      6 119 BOGUS src=1.2.3.4\n"
                + "tcp      6 10 CLOSE src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2 mark=0\n");
        assertThat(r.entries()).hasSize(1);
        assertThat(r.errors()).containsExactly("line 3: unknown TCP state \"BOGUS\"",
                "line 4: expected src= of the reply tuple, got \"mark=0\"");
    }

    @Test
    void freshSynSentDnatEntryPrintsAsTheKernel() {
        Node n = new Node();
        n.client(40030, SYN, 1000, 0);
        Conn c = n.entry(40030);
        // at the same instant: 120 s left, as the [NEW] event shows
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).isEqualTo("tcp      6 120 SYN_SENT "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40030 dport=80 [UNREPLIED] src=10.250.2.2 dst=10.250.1.2 "
                + "sport=8080 dport=40030 mark=0 use=1");
        // floor((expiry - now) / HZ): one nanosecond later it is 119
        n.advanceNs(1);
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).isEqualTo("tcp      6 119 SYN_SENT "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40030 dport=80 [UNREPLIED] src=10.250.2.2 dst=10.250.1.2 "
                + "sport=8080 dport=40030 mark=0 use=1");
        n.advance(3);
        assertThat(CtFormat.procLine(c, n.now())).isEqualTo("ipv4     2 tcp      6 116 SYN_SENT "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40030 dport=80 [UNREPLIED] src=10.250.2.2 dst=10.250.1.2 "
                + "sport=8080 dport=40030 mark=0 zone=0 use=2");
        assertThat(CtFormat.conntrackLine(c, n.now(), false, true)).endsWith(" use=1 id=" + c.id);
        assertThat(CtFormat.conntrackLine(c, n.now(), true, false)).startsWith("ipv4     2 tcp      6 116 SYN_SENT ")
                .endsWith("mark=0 use=1");
    }

    @Test
    void fmt1_procAndListGrammar() {
        Node n = new Node();
        n.handshake(40010);
        n.advance(0.5);
        Conn c = n.entry(40010);
        assertThat(CtFormat.procLine(c, n.now())).isEqualTo("ipv4     2 tcp      6 431999 ESTABLISHED "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40010 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 "
                + "dport=40010 [ASSURED] mark=0 zone=0 use=2");
        assertThat(CtFormat.conntrackLine(c, n.now(), false, false)).isEqualTo("tcp      6 431999 ESTABLISHED "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40010 dport=80 src=10.250.2.2 dst=10.250.1.2 sport=8080 "
                + "dport=40010 [ASSURED] mark=0 use=1");
    }

    @Test
    void fmt2_accountingCountersFollowEachTuple() {
        Node n = new Node();
        n.e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_ACCT, 1);
        n.handshake(40060);
        n.client(Node.CLIENT, 40060, PSH | ACK, 1001, 5001, 100);
        Conn c = n.entry(40060);
        // SYN 40 + ACK 40 + data 140 = 220 bytes in 3 packets; SYN/ACK 40 bytes in 1 packet
        assertThat(CtFormat.procLine(c, n.now())).isEqualTo("ipv4     2 tcp      6 300 ESTABLISHED "
                + "src=10.250.1.2 dst=10.250.100.100 sport=40060 dport=80 packets=3 bytes=220 src=10.250.2.2 "
                + "dst=10.250.1.2 sport=8080 dport=40060 packets=1 bytes=40 [ASSURED] mark=0 zone=0 use=2");
    }

    @Test
    void fmt3_conntrackStatsLineAndProcStat() {
        Node n = new Node();
        assertThat(new ConntrackTool(n.table).run("conntrack -S").stdout()).isEqualTo("cpu=0   \tfound=0 invalid=0 "
                + "insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 \n");
        // invalid flag combination: invalid=1; the untracked SYN to the VIP has no route, and the node's
        // ICMP net-unreachable about it relates to no entry: icmp_error=1
        n.client(40000, ACK | io.svclab.net.TcpFlags.FIN | io.svclab.net.TcpFlags.SYN, 1, 0);
        assertThat(CtFormat.procStat(n.table)).isEqualTo(CtFormat.PROC_STAT_HEADER + "\n"
                + "00000000  00000000 00000000 00000000 00000001 00000000 00000000 00000000 00000000 00000000 "
                + "00000000 00000000 00000001  00000000 00000000 00000000 00000000\n");
    }

    @Test
    void procDumpOfTheWholeTableInCreationOrder() {
        Node n = new Node();
        n.client(40001, SYN, 1000, 0);
        n.client(40000, SYN, 1000, 0);
        n.advance(1);
        assertThat(CtFormat.proc(n.table)).isEqualTo(""
                + "ipv4     2 tcp      6 119 SYN_SENT src=10.250.1.2 dst=10.250.100.100 sport=40001 dport=80 [UNREPLIED] "
                + "src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40001 mark=0 zone=0 use=2\n"
                + "ipv4     2 tcp      6 119 SYN_SENT src=10.250.1.2 dst=10.250.100.100 sport=40000 dport=80 [UNREPLIED] "
                + "src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40000 mark=0 zone=0 use=2\n");
    }
}
