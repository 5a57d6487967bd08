package io.svclab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The run command as a user drives it: exit codes, messages, output files. */
class RunCommandTest {

    static final String VALID = String.join("\n",
            "name: t",
            "seed: 7",
            "duration: 5s",
            "kernel: \"6.12\"",
            "proxy:",
            "  mode: iptables",
            "services:",
            "  - name: backend",
            "    clusterIP: 10.96.0.10",
            "    port: 80",
            "    targetPort: 8080",
            "deployments:",
            "  - name: backend",
            "    service: backend",
            "    replicas: 2",
            "clients:",
            "  - name: caller",
            "    target: backend",
            "    connectionsPerSecond: 20",
            "");

    @TempDir
    Path dir;

    record Outcome(int rc, String out, String err) {
    }

    static Outcome svclab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(rc, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void stringWhereANumberBelongsExitsTwoWithFileLineColumnAndWritesNoJson() throws IOException {
        Path s = write("bad.yaml", VALID.replace("connectionsPerSecond: 20", "connectionsPerSecond: fast"));
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--json", json.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).startsWith(s + ":19:27: clients[0].connectionsPerSecond: ");
        assertThat(json).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("bad.yaml");
    }

    @Test
    void unknownFieldExitsTwoNamingIt() throws IOException {
        Path s = write("bad.yaml", VALID.replace("    replicas: 2", "    replicaz: 2"));
        Outcome o = svclab("run", s.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).startsWith(s + ":15:5: deployments[0].replicaz: unknown field");
    }

    @Test
    void badIndentationExitsTwoWithAPosition() throws IOException {
        Path s = write("bad.yaml", VALID.replace("    port: 80\n", "     port: 80\n"));
        Outcome o = svclab("run", s.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).matches("(?s)" + java.util.regex.Pattern.quote(s.toString()) + ":\\d+:\\d+: .*");
    }

    @Test
    void unknownSetKeyExitsTwoAndWritesNoJson() throws IOException {
        Path s = write("ok.yaml", VALID);
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--set", "proxy.noSuchKey=1", "--json", json.toString());
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).startsWith("--set:1:1: proxy.noSuchKey: unknown field (known: mode, version, scheduler, syncPeriod, minSyncPeriod, watchDelay)");
        assertThat(json).doesNotExist();
    }

    @Test
    void missingOutputFolderExitsTwoBeforeRunning() throws IOException {
        Path s = write("ok.yaml", VALID);
        Outcome o = svclab("run", s.toString(), "--json", dir.resolve("nope/out.json").toString());
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).contains("--json").contains("does not exist");
    }

    @Test
    void unsupportedStepIsRefusedAtItsPositionNotSkipped() throws IOException {
        Path s = write("steps.yaml", VALID + "steps:\n  - ipvsadm: \"-e -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 0\"\n");
        Outcome o = svclab("run", s.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).startsWith(s + ":21:14: steps[0].ipvsadm: ipvsadm steps need IPVS on the node: proxy.mode ipvs or none");
    }

    @Test
    void validScenarioWritesTheResultJsonWithTheScenarioFacts() throws IOException {
        Path s = write("ok.yaml", VALID);
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--set", "duration=2s", "--set",
                "sysctl.net.ipv4.tcp_tw_reuse=1", "--json", json.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(0);
        String text = Files.readString(json);
        assertThat(text).contains("\"scenario\" : \"t\"", "\"seed\" : 7", "\"kernel\" : \"6.12\"",
                "\"proxyMode\" : \"iptables\"", "\"simulatedSeconds\" : 2.0", "\"net.ipv4.tcp_tw_reuse\" : 1",
                "\"pod\" : \"backend-1\"", "\"ip\" : \"10.244.1.3\"", "\"attempted\" : 0")
                .doesNotContain("generated connection load needs the workload model");
    }

    @Test
    void sameSeedGivesByteIdenticalJsonExceptWallSeconds() throws IOException {
        Path s = write("ok.yaml", VALID + "steps:\n  - wait: 1s\n  - deletePod: backend-0\n");
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(svclab("run", s.toString(), "--json", a.toString(), "--quiet").rc()).isZero();
        assertThat(svclab("run", s.toString(), "--json", b.toString(), "--quiet").rc()).isZero();
        assertThat(stripWall(Files.readString(a))).isEqualTo(stripWall(Files.readString(b)));
    }

    static String stripWall(String json) {
        return json.replaceAll("\"wallSeconds\" : [0-9.Ee-]+", "\"wallSeconds\" : 0");
    }

    @Test
    void versionListsEveryNamedKernelProfile() {
        Outcome o = svclab("version");
        assertThat(o.rc()).isZero();
        assertThat(o.out()).startsWith("svclab 0.1.0\n");
        for (String k : new String[] {"3.10", "4.14", "4.19", "5.4", "5.9", "5.10", "5.15", "5.16", "6.1", "6.6", "6.12"}) {
            assertThat(o.out()).containsPattern("\n  " + java.util.regex.Pattern.quote(k) + " +");
        }
    }

    @Test
    void builtinScenariosAreListedAndEachOneRuns() {
        Outcome list = svclab("scenarios");
        assertThat(list.rc()).isZero();
        for (String name : BuiltinScenarios.list().keySet()) {
            assertThat(list.out()).contains(name);
            Outcome run = svclab("run", "builtin:" + name, "--quiet");
            if (name.equals("seed-incident") && run.rc() != 0) {
                // needs kube-proxy's IPVS mode and rollouts; until they are in the build it is refused
                assertThat(run.rc()).isEqualTo(2);
                assertThat(run.err()).contains("this build does not have yet");
                continue;
            }
            assertThat(run.rc()).as(run.err()).isZero();
        }
        assertThat(svclab("scenarios", "show", "nope").rc()).isEqualTo(2);
    }

    @Test
    void podIpOutsideEveryNodeRangeIsReportedAtThePodIpsField() throws IOException {
        Path s = write("ips.yaml", VALID.replace("    replicas: 2\n", "    replicas: 2\n    podIPs: [10.244.9.3]\n"));
        Outcome o = svclab("run", s.toString(), "--quiet");
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).startsWith(s + ":16:13: deployments[0].podIPs[0]: 10.244.9.3 is outside the pod ranges");
    }

    @Test
    void ipvsModeRunsKubeProxysIpvsProxierAndDumpsItsTable() throws IOException {
        Path s = write("ipvs.yaml", VALID.replace("  mode: iptables", "  mode: ipvs")
                .replace("connectionsPerSecond: 20", "connectionsPerSecond: 0")
                + "steps:\n  - wait: 4s\n  - connect: {client: caller, sport: 40000}\n  - dump: [ipvs]\n");
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--json", json.toString(), "--quiet");
        assertThat(o.rc()).as(o.err()).isZero();
        String text = Files.readString(json);
        // kube-proxy's IPVS sysctls at start-up, a virtual server with both ready pods (weight 1, rr)
        assertThat(text).contains("\"net.ipv4.vs.conntrack\" : 1", "\"net.ipv4.vs.expire_nodest_conn\" : 1",
                "TCP  10.96.0.10:80 rr\\n  -> 10.244.1.2:8080              Masq    1",
                "  -> 10.244.1.3:8080              Masq    1");
        assertThat(text).containsPattern("\"sport\" : 40000,\\s+\"result\" : \"OK\"");
    }

    @Test
    void connectStepsReportResultBackendConnectTimeAndRetransmissionsInTheJson() throws IOException {
        Path s = write("connect.yaml", VALID.replace("connectionsPerSecond: 20", "connectionsPerSecond: 0")
                + "steps:\n  - wait: 4s\n  - connect: {client: caller, sport: 40000}\n  - wait: 997ms\n"
                + "  - connect: {client: caller, sport: 40001}\n");
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--json", json.toString(), "--quiet");
        assertThat(o.rc()).as(o.err()).isZero();
        // backends are ready at 3 s (startup 2 s + readiness 1 s); the first pick of the cascade is seeded
        assertThat(Files.readString(json)).containsPattern("\\{\\s+\"index\" : 1,\\s+\"type\" : \"connect\",\\s+"
                + "\"atMs\" : 4000.0,\\s+\"sport\" : 40000,\\s+\"result\" : \"OK\",\\s+"
                + "\"backend\" : \"10\\.244\\.1\\.[23]:8080\",\\s+\"connectMs\" : 0\\.4,\\s+\"synRetransmissions\" : 0\\s+\\}");
        // a connection still in progress when the run ends (5 s) is reported, not dropped
        assertThat(Files.readString(json)).containsPattern("\"sport\" : 40001,\\s+\"result\" : \"RUNNING\",\\s+"
                + "\"backend\" : null,\\s+\"connectMs\" : null,\\s+\"synRetransmissions\" : null");
    }

    @Test
    void explainPrintsEachFailedConnectionsChainAndTheJsonCarriesTheSameFacts() throws IOException {
        String yaml;
        try (java.io.InputStream in = RunCommandTest.class.getResourceAsStream("/explain/ipvs-timewait-reuse0.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path s = write("explain.yaml", yaml);
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--explain", "2", "--json", json.toString(), "--quiet");
        assertThat(o.rc()).isZero();
        // --quiet drops the summary table, not what was explicitly asked for
        assertThat(o.out()).startsWith("explanation 1: TCP 10.244.1.4:40004 -> 10.96.0.10:80: ETIMEDOUT"
                + " (6 SYN retransmissions, 0.602600 s .. 127.602600 s)\n");
        assertThat(o.out()).contains("      0.602600 s  client-0       tcp: SYN sent\n");
        assertThat(o.out()).contains("      0.602650 s  node-1         ipvs: SYN hit the connection entry in TIME_WAIT"
                + " for real server 10.244.1.3:8080 (weight 0, deleted from the service)\n"
                + "                                   TCP 01:59 TIME_WAIT   10.244.1.4:40004   10.96.0.10:80"
                + "      10.244.1.3:8080\n");
        assertThat(o.out()).contains("    127.602600 s  client-0       ETIMEDOUT after 6 SYN retransmissions\n");
        assertThat(o.out()).contains("  summary: the SYN from 10.244.1.4:40004 hit an IPVS connection entry");
        assertThat(o.out()).doesNotContain("explanation 2:");

        String text = Files.readString(json);
        String ex = text.substring(text.indexOf("\"explanations\" : ["));
        assertThat(ex).startsWith("\"explanations\" : [\n    {\n      \"client\" : \"10.244.1.4:40004\",\n"
                + "      \"service\" : \"10.96.0.10:80\",\n      \"protocol\" : \"TCP\",\n"
                + "      \"result\" : \"ETIMEDOUT\",\n      \"backend\" : null,\n"
                + "      \"startSeconds\" : 0.6026,\n      \"endSeconds\" : 127.6026,\n"
                + "      \"synRetransmissions\" : 6,\n      \"chain\" : [\n");
        assertThat(ex).contains("{\n          \"seconds\" : 0.60265,\n          \"where\" : \"node-1\",\n"
                + "          \"what\" : \"ipvs: SYN hit the connection entry in TIME_WAIT for real server"
                + " 10.244.1.3:8080 (weight 0, deleted from the service)\",\n          \"entry\" : \"TCP 01:59"
                + " TIME_WAIT   10.244.1.4:40004   10.96.0.10:80      10.244.1.3:8080\"\n        }");
        assertThat(ex).contains("\"summary\" : \"the SYN from 10.244.1.4:40004 hit an IPVS connection entry in"
                + " TIME_WAIT");
        // one explanation only: connection #1 was fine
        assertThat(ex.split("\"summary\"", -1)).hasSize(2);
        // the key order of the contract: explanations after dumps
        assertThat(text.indexOf("\"dumps\"")).isLessThan(text.indexOf("\"explanations\""));
    }

    @Test
    void explainNeedsAPositiveCount() throws IOException {
        Path s = write("s.yaml", VALID);
        Path json = dir.resolve("out.json");
        Outcome o = svclab("run", s.toString(), "--explain", "0", "--json", json.toString());
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).contains("--explain: expected a positive number of connections, got 0");
        assertThat(json).doesNotExist();
    }
}
