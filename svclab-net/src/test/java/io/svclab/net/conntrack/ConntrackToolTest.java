package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code conntrack} subset (spec §5.2, §5.3) against a table with three flows. */
class ConntrackToolTest {

    Node n;
    ConntrackTool tool;

    @BeforeEach
    void setUp() {
        n = new Node();
        n.handshake(40000); // be1
        n.client(40001, SYN, 1000, 0); // be2, unreplied
        n.handshake(40002); // be1
        n.advance(0.5);
        tool = new ConntrackTool(n.table);
    }

    @Test
    void listPrintsEveryEntryInCreationOrderAndTheSummaryOnStderr() {
        ConntrackTool.Result r = tool.run("conntrack -L");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(""
                + "tcp      6 431999 ESTABLISHED src=10.250.1.2 dst=10.250.100.100 sport=40000 dport=80 src=10.250.2.2 "
                + "dst=10.250.1.2 sport=8080 dport=40000 [ASSURED] mark=0 use=1\n"
                + "tcp      6 119 SYN_SENT src=10.250.1.2 dst=10.250.100.100 sport=40001 dport=80 [UNREPLIED] "
                + "src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40001 mark=0 use=1\n"
                + "tcp      6 431999 ESTABLISHED src=10.250.1.2 dst=10.250.100.100 sport=40002 dport=80 src=10.250.2.2 "
                + "dst=10.250.1.2 sport=8080 dport=40002 [ASSURED] mark=0 use=1\n");
        assertThat(r.stderr()).isEqualTo("conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n");
    }

    @Test
    void filtersAndOutputFormats() {
        ConntrackTool.Result r = tool.run("conntrack -L -p tcp --reply-src 10.250.3.2 -o id");
        Conn c = n.entry(40001);
        assertThat(r.stdout()).isEqualTo("tcp      6 119 SYN_SENT src=10.250.1.2 dst=10.250.100.100 sport=40001 "
                + "dport=80 [UNREPLIED] src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40001 mark=0 use=1 id=" + c.id
                + "\n");
        assertThat(tool.run("conntrack -L -o extended --orig-dst 10.250.100.100 -p tcp --orig-port-src 40002").stdout())
                .startsWith("ipv4     2 tcp      6 431999 ESTABLISHED src=10.250.1.2").endsWith("use=1\n");
        assertThat(tool.run("conntrack -L -p tcp --state ESTABLISHED").stderr()).contains(" 2 flow entries");
        assertThat(tool.run("conntrack -L -p udp").stdout()).isEmpty();
        assertThat(tool.run("conntrack -L --orig-src 10.250.1.9").stderr()).contains(" 0 flow entries");
    }

    @Test
    void deletePrintsTheDeletedEntries_countAndFlush() {
        ConntrackTool.Result d = tool.run("conntrack -D -r 10.250.2.2");
        assertThat(d.stdout().lines()).hasSize(2);
        assertThat(d.stderr()).isEqualTo("conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.\n");
        assertThat(tool.run("conntrack -C").stdout()).isEqualTo("1\n");
        assertThat(tool.run("conntrack -D -r 10.250.2.2").exitCode()).isEqualTo(1);
        ConntrackTool.Result f = tool.run("conntrack -F");
        assertThat(f.stderr()).isEqualTo("conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n");
        assertThat(n.table.count()).isZero();
    }

    @Test
    void errorsAreMessagesNotExceptions() {
        assertThat(tool.run("conntrack -L --foo")).isEqualTo(
                new ConntrackTool.Result(1, "", "conntrack: unsupported option \"--foo\"\n"));
        assertThat(tool.run("conntrack -L --orig-src 10.1").stderr())
                .isEqualTo("conntrack: bad address \"10.1\" for --orig-src\n");
        assertThat(tool.run("conntrack --sport 1 -L").stderr())
                .isEqualTo("conntrack: missing protocol: use -p with port or state filters\n");
        assertThat(tool.run("conntrack -L -D").exitCode()).isEqualTo(1);
        assertThat(tool.run("conntrack").stderr()).isEqualTo("conntrack: no command specified\n");
        assertThat(tool.run("conntrack -L -o xml").stderr()).isEqualTo("conntrack: unsupported output format \"xml\"\n");
        assertThat(tool.run("conntrack -L -p").stderr()).isEqualTo("conntrack: option \"-p\" requires an argument\n");
    }
}
