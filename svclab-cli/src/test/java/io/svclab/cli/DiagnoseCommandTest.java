package io.svclab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code svclab diagnose} as a user drives it: the weight-0 dumps of the 6.1 oracle, a corrupted dump. */
class DiagnoseCommandTest {

    @TempDir
    Path dir;

    static final String LN = String.join("\n",
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  10.250.100.100:80 rr",
            "  -> 10.250.2.2:8080              Masq    1      0          0         ",
            "  -> 10.250.3.2:8080              Masq    0      0          1         ", "");
    static final String LNC = String.join("\n", "IPVS connection entries",
            "pro expire state       source             virtual            destination",
            "TCP 01:59  TIME_WAIT   10.250.1.2:40004   10.250.100.100:80  10.250.3.2:8080", "");
    static final String CT = "ipv4     2 tcp      6 119 TIME_WAIT src=10.250.1.2 dst=10.250.100.100 sport=40004 dport=80"
            + " src=10.250.3.2 dst=10.250.1.2 sport=8080 dport=40004 [ASSURED] mark=0 zone=0 use=2\n";
    static final String SYSCTL = "net.ipv4.vs.conn_reuse_mode = 0\nnet.ipv4.vs.conntrack = 1\n"
            + "net.ipv4.vs.expire_nodest_conn = 0\nnet.ipv4.vs.expire_quiescent_template = 1\nnet.ipv4.ip_forward = 1\n";

    private record Run(int rc, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(rc, out.toString(), err.toString());
    }

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void weight0DumpsGiveTheFindingWithEvidenceAndPrediction() throws IOException {
        String json = dir.resolve("out.json").toString();
        Run r = run("diagnose", "--conntrack", file("nf_conntrack.txt", CT), "--ipvs", file("ipvsadm-Ln.txt", LN),
                "--ipvs-conn", file("ipvsadm-Lnc.txt", LNC), "--sysctl", file("sysctl-a.txt", SYSCTL), "--kernel", "6.1",
                "--json", json);
        assertThat(r.err()).isEmpty();
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("1. [high] ipvs-weight0-reuse",
                "ipvsadm-Lnc.txt:3: TCP 01:59  TIME_WAIT   10.250.1.2:40004   10.250.100.100:80  10.250.3.2:8080",
                "a SYN from 10.250.1.2:40004 to 10.250.100.100:80 would go to 10.250.3.2:8080 (weight 0)");
        String j = Files.readString(Path.of(json));
        assertThat(j).contains("\"kind\" : \"ipvs\"", "\"entries\" : 3", "\"id\" : \"ipvs-weight0-reuse\"",
                "\"line\" : 3", "\"to\" : \"10.250.3.2:8080\"", "\"reference\" : \"kubernetes/kubernetes#81775\"");
    }

    @Test
    void aCorruptedLineExitsTwoNamingFileAndLineAndWritesNothing() throws IOException {
        String bad = file("nf_conntrack.txt", CT + CT + CT.replace("sport=40004 dport=80", "sport=40005 dport=80")
                + CT.replace("sport=8080", "sport=80X0"));
        Path json = dir.resolve("out.json");
        Run r = run("diagnose", "--conntrack", bad, "--json", json.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).startsWith("svclab: " + bad + ":4: expected a number in \"sport=80X0\": ipv4 ")
                .contains("sport=80X0 dport=40004").doesNotContain("Exception");
        assertThat(json).doesNotExist();
    }

    @Test
    void usageErrors() throws IOException {
        assertThat(run("diagnose").rc()).isEqualTo(2);
        Run k = run("diagnose", "--conntrack", file("c.txt", CT), "--kernel", "2.6");
        assertThat(k.rc()).isEqualTo(2);
        assertThat(k.err()).startsWith("svclab: --kernel 2.6: unknown kernel");
        Run missing = run("diagnose", "--ipvs", dir.resolve("nope.txt").toString());
        assertThat(missing.rc()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.txt: no such file");
        Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThat(run("diagnose", "--sysctl", dir.resolve("bin").toString()).err()).contains("not a text file");
    }
}
