package io.svclab.report;

import io.svclab.k8s.Pod;
import io.svclab.net.Ip4;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.run.Results;
import io.svclab.run.RunResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTest {

    private static final long MS = 1_000_000L;

    static RunResult result() {
        List<Pod> pods = List.of(new Pod("backend-0", "backend", false, 1, Ip4.parse("10.244.1.2"), null),
                new Pod("caller-0", "caller", true, 1, Ip4.parse("10.244.1.3"), null));
        Results r = new Results(2000 * MS);
        r.add(new ConnectionRecord("caller-0", ConnectResult.OK, 0, 200_000, 3 * MS, 0, 40000,
                Ip4.parse("10.96.0.10"), 80, 1), "backend-0");
        r.add(new ConnectionRecord("caller-0", ConnectResult.OK, 1500 * MS, 1_000_200_000L, 2600 * MS, 1, 40001,
                Ip4.parse("10.96.0.10"), 80, 2), "backend-0");
        r.add(new ConnectionRecord("caller-0", ConnectResult.APP_TIMEOUT, 1600 * MS, 3000 * MS, 4600 * MS, 2, 40002,
                Ip4.parse("10.96.0.10"), 80, 3), null);
        return new RunResult("0.1.0", "t", 1, "4.19", "iptables", List.<String[]>of(new String[] {"a.b", "1"}),
                2.0, 0.5, 10, 20, pods, List.of(), List.of(), List.of(), r.connections(), r.backends(pods),
                r.timeline(pods));
    }

    private static String json() throws Exception {
        StringWriter w = new StringWriter();
        JsonReport.write(result(), w);
        return w.toString();
    }

    private static void inOrder(String text, String... keys) {
        int at = -1;
        for (String k : keys) {
            int i = text.indexOf("\"" + k + "\" :", at + 1);
            assertThat(i).as("key %s after position %d", k, at).isGreaterThan(at);
            at = i;
        }
    }

    @Test
    void topLevelKeysInTheContractsOrder() throws Exception {
        inOrder(json(), "svclab", "scenario", "seed", "kernel", "proxyMode", "sysctl", "simulatedSeconds",
                "wallSeconds", "packets", "events", "connections", "backends", "timeline", "steps", "dumps",
                "notModelled");
    }

    @Test
    void connectionsBlockInTheContractsOrder() throws Exception {
        String j = json();
        inOrder(j, "connections", "attempted", "succeeded", "failed", "errors", "ETIMEDOUT", "ECONNREFUSED",
                "ECONNRESET", "EHOSTUNREACH", "APP_TIMEOUT", "delayed", "connectMs", "p50", "p90", "p99", "p999",
                "max", "synRetransmissions", "inFlight", "backends");
        assertThat(j).contains("\"attempted\" : 3", "\"succeeded\" : 2", "\"failed\" : 1", "\"APP_TIMEOUT\" : 1",
                "\"delayed\" : 1", "\"p50\" : 1000.", "\"0\" : 1", "\"1\" : 1", "\"2\" : 1");
    }

    @Test
    void backendsAndTimeline() throws Exception {
        String j = json();
        inOrder(j, "backends", "pod", "ip", "connections", "failed", "timeline", "second", "attempted", "failed",
                "delayed", "backends");
        String timeline = j.substring(j.indexOf("\"timeline\""), j.indexOf("\"steps\""));
        assertThat(timeline.replaceAll("\\s+", "")).isEqualTo("\"timeline\":["
                + "{\"second\":0,\"attempted\":1,\"failed\":0,\"delayed\":0,\"backends\":{\"backend-0\":1}},"
                + "{\"second\":1,\"attempted\":2,\"failed\":1,\"delayed\":1,\"backends\":{\"backend-0\":1}}],");
        assertThat(j.replaceAll("\\s+", "")).contains("{\"pod\":\"backend-0\",\"ip\":\"10.244.1.2\","
                + "\"connections\":2,\"failed\":0,\"node\":1}");
    }

    @Test
    void textReportHasTheTotalsAndTheSeconds() {
        StringWriter w = new StringWriter();
        TextReport.write(result(), new PrintWriter(w));
        assertThat(w.toString()).contains("connections: 3 attempted, 2 succeeded, 1 failed, 1 delayed",
                "errors: APP_TIMEOUT 1", "SECOND    ATTEMPTED", "backend-0=1");
    }

    @Test
    void textTimelineOfALongRunIsGroupedIntoAtMostTwentyRows() {
        List<Pod> pods = List.of(new Pod("backend-0", "backend", false, 1, Ip4.parse("10.244.1.2"), null));
        Results r = new Results(120_000 * MS);
        for (int s = 0; s < 120; s++) {
            r.add(new ConnectionRecord("caller-0", ConnectResult.OK, s * 1000 * MS, 200_000, s * 1000 * MS + 3 * MS,
                    0, 40000, Ip4.parse("10.96.0.10"), 80, s), "backend-0");
        }
        RunResult rr = new RunResult("0.1.0", "t", 1, "4.19", "iptables", List.of(), 120.0, 0.5, 10, 20, pods,
                List.of(), List.of(), List.of(), r.connections(), r.backends(pods), r.timeline(pods));
        StringWriter w = new StringWriter();
        TextReport.write(rr, new PrintWriter(w));
        String text = w.toString();
        assertThat(text).contains("SECONDS   ATTEMPTED", "0-5               6       0       0  backend-0=6",
                "114-119           6       0       0  backend-0=6");
        assertThat(text.lines().filter(l -> l.matches("\\d+-\\d+ .*"))).hasSize(20);
    }

    @Test
    void requestsBlockFollowsConnectionsAndTheTimelineCountsRequestsWhenCollected() throws Exception {
        RunResult base = result();
        Results q = new Results(2 * 1_000_000_000L);
        q.addRequest(io.svclab.net.tcp.ConnectResult.OK, 0, 20_000_000L);
        q.addRequest(io.svclab.net.tcp.ConnectResult.EOF, 1_100_000_000L, 1_150_000_000L);
        RunResult r = new RunResult(base.version(), base.scenario(), base.seed(), base.kernel(), base.proxyMode(),
                base.sysctl(), base.simulatedSeconds(), base.wallSeconds(), base.packets(), base.events(), base.pods(),
                base.steps(), base.dumps(), base.notModelled(), base.connections(), base.backends(),
                q.timeline(base.pods()), base.podEvents(), List.of(), q.requests());
        StringWriter w = new StringWriter();
        JsonReport.write(r, w);
        String j = w.toString();
        inOrder(j, "connections", "inFlight", "requests", "attempted", "succeeded", "failed", "errors", "EOF",
                "latencyMs", "p50", "p90", "p99", "p999", "max", "inFlight", "backends");
        assertThat(j).contains("\"EOF\" : 1").contains("\"p50\" : 20.0").contains("\"max\" : 50.0");
        inOrder(j, "timeline", "second", "delayed", "requests", "requestsFailed", "backends");
        // without collected requests neither the block nor the timeline keys appear
        assertThat(json()).doesNotContain("\"requests\"").doesNotContain("requestsFailed");
    }
}
