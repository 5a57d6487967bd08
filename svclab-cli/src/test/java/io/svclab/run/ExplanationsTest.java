package io.svclab.run;

import io.svclab.cli.BuiltinScenarios;
import io.svclab.net.trace.Trace;
import io.svclab.net.trace.TraceEvent;
import io.svclab.report.JsonReport;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Explanations (contract §4.3) of scripted connections, checked against what the model's rules
 * say must have happened: the entry that was hit, the sysctl that decided, the pod's end, every SYN
 * at the kernel's instants, the outcome.
 */
class ExplanationsTest {

    private static Scenario resource(String name) throws IOException {
        try (InputStream in = ExplanationsTest.class.getResourceAsStream("/explain/" + name)) {
            return ScenarioLoader.loadText(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), List.of());
        }
    }

    private static RunResult explain(Scenario s, int n) {
        return new Runner(s, new ExplainCollector(n, Trace.NONE)).run(0, () -> 0);
    }

    private static List<Explanation.Decision> find(Explanation x, String whatPart) {
        List<Explanation.Decision> out = new ArrayList<>();
        for (Explanation.Decision d : x.chain()) {
            if (d.what().contains(whatPart)) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<Double> synInstants(Explanation x) {
        List<Double> out = new ArrayList<>();
        for (Explanation.Decision d : x.chain()) {
            if (d.what().equals("tcp: SYN sent") || d.what().startsWith("tcp: syn retransmission ")) {
                out.add(d.seconds());
            }
        }
        return out;
    }

    @Test
    void reusedPortOnATimeWaitEntryOfADeletedWeightZeroServerTimesOutAndSaysWhy() throws IOException {
        RunResult r = explain(resource("ipvs-timewait-reuse0.yaml"), 3);
        // connection #1 succeeded on the first SYN: only connection #2 is explained
        assertThat(r.explanations()).hasSize(1);
        Explanation x = r.explanations().get(0);
        assertThat(x.client()).isEqualTo("10.244.1.4:40004");
        assertThat(x.service()).isEqualTo("10.96.0.10:80");
        assertThat(x.protocol()).isEqualTo("TCP");
        assertThat(x.result()).isEqualTo("ETIMEDOUT");
        assertThat(x.backend()).isNull();
        assertThat(x.synRetransmissions()).isEqualTo(6);
        // connect at 0.3026 + 0.3 s (two waits after the 2.6 ms first connection)
        assertThat(x.startSeconds()).isCloseTo(0.6026, within(1e-9));
        // tcp_syn_retries=6, doubling from 1 s: ETIMEDOUT 127 s after the first SYN
        assertThat(x.endSeconds()).isCloseTo(127.6026, within(1e-9));

        // the pod and the real server went before the SYN came
        assertThat(find(x, "ipvs: real server 10.244.1.3:8080 weight set to 0")).hasSize(1);
        assertThat(find(x, "pod rs-1 torn down: 10.244.1.3 removed from the network")).singleElement()
                .satisfies(d -> assertThat(d.seconds()).isCloseTo(0.3026, within(1e-9)));
        assertThat(find(x, "ipvs: real server 10.244.1.3:8080 deleted from TCP  10.96.0.10:80")).hasSize(1);

        // every SYN: 0, 1, 3, 7, 15, 31, 63 s after the first
        List<Double> syns = synInstants(x);
        double[] want = {0.6026, 1.6026, 3.6026, 7.6026, 15.6026, 31.6026, 63.6026};
        assertThat(syns).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(syns.get(i)).isCloseTo(want[i], within(1e-9));
        }
        // each one hit the entry, which IPVS kept and dropped the packet on
        List<Explanation.Decision> hits = find(x, "ipvs: SYN hit the connection entry in TIME_WAIT for real server"
                + " 10.244.1.3:8080 (weight 0, deleted from the service)");
        assertThat(hits).hasSize(7);
        assertThat(hits.get(0).seconds()).isCloseTo(0.60265, within(1e-9)); // after the 50 us veth hop
        assertThat(hits.get(0).where()).isEqualTo("node-1");
        assertThat(hits.get(0).entry())
                .isEqualTo("TCP 01:59 TIME_WAIT   10.244.1.4:40004   10.96.0.10:80      10.244.1.3:8080");
        assertThat(find(x, "no reschedule (conn_reuse_mode=0, and this kernel lacks"
                + " IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE)")).hasSize(7)
                .allSatisfy(d -> assertThat(d.entry()).isEqualTo("net.ipv4.vs.conn_reuse_mode = 0"));
        assertThat(find(x, "unavailable (weight 0, deleted from the service): packet dropped, entry kept"))
                .hasSize(7).allSatisfy(d -> assertThat(d.entry()).isEqualTo("net.ipv4.vs.expire_nodest_conn = 0"));
        assertThat(find(x, "port reuse: conn_reuse_mode")).first().satisfies(d -> assertThat(d.entry())
                .startsWith("net.ipv4.vs.conn_reuse_mode = 0; net.ipv4.vs.expire_nodest_conn = 0;"
                        + " net.ipv4.vs.conntrack = 1; kernel 4.19: IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE off"));
        // conntrack: the SYN reopened the old TIME_WAIT entry of connection #1
        assertThat(find(x, "conntrack: SYN reopens the entry in TIME_WAIT")).singleElement()
                .satisfies(d -> assertThat(d.entry()).isEqualTo("tcp      6 119 TIME_WAIT src=10.244.1.4"
                        + " dst=10.96.0.10 sport=40004 dport=80 src=10.244.1.3 dst=10.244.1.4 sport=8080"
                        + " dport=40004 [ASSURED] mark=0 use=1"));

        Explanation.Decision last = x.chain().get(x.chain().size() - 1);
        assertThat(last.what()).isEqualTo("ETIMEDOUT after 6 SYN retransmissions");
        assertThat(last.seconds()).isCloseTo(127.6026, within(1e-9));

        assertThat(x.summary()).isEqualTo("the SYN from 10.244.1.4:40004 hit an IPVS connection entry in TIME_WAIT"
                + " for real server 10.244.1.3:8080 (weight 0, deleted from the service, pod rs-1 torn down at"
                + " 0.303 s); net.ipv4.vs.conn_reuse_mode=0 so IPVS did not reschedule it; the real server is no"
                + " longer in the service, so IPVS dropped the SYN (net.ipv4.vs.expire_nodest_conn=0); 7 SYNs went"
                + " unanswered; ETIMEDOUT at 127.603 s");
    }

    @Test
    void connReuseModeOneOnOldKernelDropsTheFirstSynThenTheRetransmissionIsRescheduled() throws IOException {
        RunResult r = explain(resource("ipvs-timewait-reuse1.yaml"), 3);
        assertThat(r.explanations()).hasSize(1);
        Explanation x = r.explanations().get(0);
        assertThat(x.result()).isEqualTo("OK");
        assertThat(x.synRetransmissions()).isEqualTo(1);
        assertThat(x.backend()).isEqualTo("10.244.1.2:8080");
        assertThat(synInstants(x)).containsExactly(0.6026, 1.6026);
        assertThat(find(x, "ipvs: SYN hit the connection entry in TIME_WAIT for real server 10.244.1.3:8080"
                + " (weight 0, deleted from the service)")).hasSize(1);
        assertThat(find(x, "entry expired to reschedule, but the SYN is dropped: its old conntrack entry still"
                + " exists (net.ipv4.vs.conntrack=1 reuse path, IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT f719e3754ee2)"))
                .singleElement().satisfies(d -> {
                    assertThat(d.seconds()).isCloseTo(0.60265, within(1e-9));
                    assertThat(d.entry()).isEqualTo("net.ipv4.vs.conntrack = 1");
                });
        assertThat(find(x, "ipvs: new connection entry: the scheduler chose real server 10.244.1.2:8080 (weight 1)"))
                .singleElement().satisfies(d -> {
                    assertThat(d.seconds()).isCloseTo(1.60265, within(1e-9));
                    assertThat(d.entry()).isEqualTo("TCP 00:00 NONE        10.244.1.4:40004   10.96.0.10:80"
                            + "      10.244.1.2:8080");
                });
        assertThat(x.chain().get(x.chain().size() - 1).what())
                .isEqualTo("connected after 1 SYN retransmission (connect 1000.3 ms)");
        assertThat(x.summary()).contains("dropped the SYN because its conntrack entry still existed")
                .contains("the retransmission at 1.603 s was scheduled to 10.244.1.2:8080")
                .endsWith("1 SYN went unanswered and the connection was established 1000.3 ms after the first SYN,"
                        + " at 1.603 s");
    }

    @Test
    void iptablesModeNamesTheConntrackEntryAndTheDnatToTheGonePod() throws IOException {
        RunResult r = explain(resource("iptables-deleted-endpoint.yaml"), 3);
        assertThat(r.explanations()).hasSize(1);
        Explanation x = r.explanations().get(0);
        assertThat(x.client()).isEqualTo("10.244.1.3:40004");
        assertThat(x.result()).isEqualTo("APP_TIMEOUT");
        assertThat(x.synRetransmissions()).isEqualTo(2);
        assertThat(synInstants(x)).containsExactly(3.0026, 4.0026, 6.0026);
        assertThat(find(x, "conntrack: SYN reopens the entry in TIME_WAIT")).hasSize(1);
        assertThat(find(x, "conntrack: DNAT to 10.244.1.2:8080")).singleElement()
                .satisfies(d -> assertThat(d.entry()).isEqualTo("tcp src=10.244.1.3 dst=10.96.0.10 sport=40004"
                        + " dport=80 src=10.244.1.2 dst=10.244.1.3 sport=8080 dport=40004"));
        assertThat(find(x, "conntrack: new entry confirmed")).singleElement()
                .satisfies(d -> assertThat(d.entry()).isEqualTo("tcp      6 120 SYN_SENT src=10.244.1.3"
                        + " dst=10.96.0.10 sport=40004 dport=80 [UNREPLIED] src=10.244.1.2 dst=10.244.1.3 sport=8080"
                        + " dport=40004 mark=0 use=1"));
        assertThat(find(x, "to a MAC address no host has any more: lost")).hasSize(3);
        assertThat(find(x, "pod rs-0 torn down: 10.244.1.2 removed from the network")).hasSize(1);
        // the endpoint leaves the rules at kube-proxy's next sync, after the SYN was DNATed: the conntrack
        // entry keeps the retransmissions on the gone pod
        assertThat(find(x, "kube-proxy: endpoint 10.244.1.2:8080 removed from the rules of vip (iptables sync)"))
                .singleElement().satisfies(d -> assertThat(d.seconds()).isCloseTo(3.1026, within(1e-9)));
        assertThat(x.summary()).isEqualTo("the SYN from 10.244.1.3:40004 reopened a conntrack entry in TIME_WAIT"
                + " (fresh NAT) and was DNATed to 10.244.1.2:8080 (pod rs-0 torn down at 3.003 s, endpoint out of"
                + " kube-proxy's rules at 3.103 s); the node forwarded"
                + " the SYNs to 10.244.1.2, an address no pod answers on any more, where they were lost; 3 SYNs went"
                + " unanswered; the client gave up (its own timeout, APP_TIMEOUT) at 8.003 s");
    }

    private static String json(RunResult r, boolean explanations) throws IOException {
        StringWriter w = new StringWriter();
        JsonReport.write(r, explanations, w);
        return w.toString().replaceFirst("\"wallSeconds\" : [0-9.E-]+", "\"wallSeconds\" : 0");
    }

    @Test
    void theIncidentGivesTheSameResultWithAndWithoutExplanationsAndTheSameExplanationsTwice() throws IOException {
        Scenario s = ScenarioLoader.loadText("builtin:seed-incident", BuiltinScenarios.yaml("seed-incident"),
                List.of("proxy.mode=ipvs", "kernel=4.19", "sysctl.net.ipv4.vs.conn_reuse_mode=0"));
        RunResult plain = new Runner(s, Trace.NONE).run(0, () -> 0);
        RunResult a = explain(s, 3);
        RunResult b = explain(s, 3);
        // tracing decisions changes nothing in what the run does
        assertThat(json(a, false)).isEqualTo(json(plain, false));
        assertThat(plain.explanations()).isEmpty();
        assertThat(json(plain, false)).doesNotContain("\"explanations\"");
        // deterministic: same chains, same bytes
        assertThat(a.explanations()).isEqualTo(b.explanations());
        assertThat(json(a, true)).isEqualTo(json(b, true));
        assertThat(json(a, true)).contains("\"explanations\" : [");

        assertThat(a.explanations()).hasSize(3);
        for (Explanation x : a.explanations()) {
            assertThat(x.result()).isEqualTo("APP_TIMEOUT");
            assertThat(x.summary()).contains("weight 0").contains("net.ipv4.vs.conn_reuse_mode=0 so IPVS did not"
                    + " reschedule it").contains("deleted at");
            // and where its SYNs ended: a frame to a MAC nobody has, or the ARP queue of the gone address
            assertThat(x.summary()).containsAnyOf("an address no pod answers on any more, where they were lost",
                    "were dropped by node-1 (neigh_queue_full: nothing answers ARP for that address any more)");
        }
        // the first N by start time
        assertThat(a.explanations().get(0).startSeconds()).isLessThanOrEqualTo(a.explanations().get(1).startSeconds());
        assertThat(a.explanations().get(1).startSeconds()).isLessThanOrEqualTo(a.explanations().get(2).startSeconds());
    }

    @Test
    void anUntracedRunNeverBuildsAnEvent() throws IOException {
        Trace refusing = new Trace() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public void emit(TraceEvent e) {
                throw new AssertionError("emitted while disabled: " + e.format());
            }
        };
        for (String name : List.of("ipvs-timewait-reuse0.yaml", "ipvs-timewait-reuse1.yaml",
                "iptables-deleted-endpoint.yaml")) {
            RunResult r = new Runner(resource(name), refusing).run(0, () -> 0);
            assertThat(r.explanations()).isEmpty();
        }
    }

    @Test
    void traceShowsTheDecisionsAsOneLineEachAmongThePacketPath() throws IOException {
        io.svclab.net.trace.RecordingTrace t = new io.svclab.net.trace.RecordingTrace();
        new Runner(resource("ipvs-timewait-reuse0.yaml"), t).run(0, () -> 0);
        List<String> lines = t.lines();
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
        assertThat(lines).contains("602650000 node-1 ipvs SYN hit the connection entry in TIME_WAIT for real server"
                + " 10.244.1.3:8080 (weight 0, deleted from the service) [TCP 01:59 TIME_WAIT   10.244.1.4:40004"
                + "   10.96.0.10:80      10.244.1.3:8080]",
                "602650000 node-1 ipvs real server 10.244.1.3:8080 unavailable (weight 0, deleted from the service):"
                        + " packet dropped, entry kept [net.ipv4.vs.expire_nodest_conn = 0]",
                "302600000 kubelet k8s pod rs-1 torn down: 10.244.1.3 removed from the network",
                "602600000 client-0 tcp syn sent",
                "127602600000 client-0 tcp connect timed out after 6 syn retransmissions");
        // the packet path is there too: one line per hook function
        assertThat(lines).anyMatch(l -> l.startsWith("602650000 node-1 INPUT ") && l.contains(" DROP "));
    }
}
