package io.svclab.run;

import io.svclab.net.trace.Trace;
import io.svclab.report.JsonReport;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Generated client load through an iptables-mode ClusterIP (kube-proxy in iptables mode; no watch delay, so the rules are in place at t=0). */
class ClientLoadScenarioTest {

    private static final String YAML = String.join("\n",
            "name: load",
            "seed: 1",
            "duration: 5s",
            "kernel: \"4.19\"",
            "proxy: {mode: iptables, watchDelay: 0s}",
            "services:",
            "  - {name: backend, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
            "deployments:",
            "  - name: backend",
            "    service: backend",
            "    replicas: 3",
            "    pod: {startup: 0s, readinessDelay: 0s, closer: server}",
            "clients:",
            "  - {name: caller, target: backend, connectionsPerSecond: 50, arrivals: constant}",
            "");

    private static RunResult run(String... sets) {
        return new Runner(ScenarioLoader.loadText("load.yaml", YAML, List.of(sets)), Trace.NONE).run(0, () -> 0);
    }

    private static String json(RunResult r) throws Exception {
        StringWriter w = new StringWriter();
        JsonReport.write(r, w);
        return w.toString();
    }

    @Test
    void constantArrivalsGiveExactlyRateTimesDurationAllOk() {
        RunResult r = run();
        Results.Connections c = r.connections();
        assertThat(c.attempted()).isEqualTo(250);
        assertThat(c.succeeded()).isEqualTo(250);
        assertThat(c.failed()).isZero();
        assertThat(c.delayed()).isZero();
        assertThat(c.inFlight()).isZero();
        assertThat(c.synRetransmissions()).containsOnlyKeys(0);
        assertThat(c.connectMs().max()).isLessThan(10.0);
        assertThat(r.notModelled()).noneMatch(n -> n.contains("workload"));
    }

    @Test
    void theBackendsShareTheLoad() {
        RunResult r = run();
        assertThat(r.backends()).extracting(Results.Backend::pod).containsExactly("backend-0", "backend-1",
                "backend-2");
        assertThat(r.backends()).allSatisfy(b -> {
            assertThat(b.connections()).isBetween(50L, 120L);
            assertThat(b.failed()).isZero();
        });
        assertThat(r.backends().stream().mapToLong(Results.Backend::connections).sum()).isEqualTo(250);
    }

    @Test
    void timelineHasOneEntryPerSecondWithTheRate() {
        RunResult r = run();
        assertThat(r.timeline()).hasSize(5);
        assertThat(r.timeline()).allSatisfy(s -> {
            assertThat(s.attempted()).isEqualTo(50);
            assertThat(s.backends().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50);
        });
    }

    @Test
    void poissonArrivalsAreAboutRateTimesDuration() {
        RunResult r = run("clients.0.arrivals=poisson");
        // Poisson count with mean 250: standard deviation 15.8
        assertThat(r.connections().attempted()).isBetween(200L, 300L);
        assertThat(r.connections().failed()).isZero();
    }

    @Test
    void closedLoopRunsConcurrencyWorkers() {
        RunResult r = run("clients.0.concurrency=2", "duration=1s");
        // each connection takes well under a millisecond plus the 2 ms request
        assertThat(r.connections().attempted()).isGreaterThan(300);
        assertThat(r.connections().failed()).isZero();
    }

    @Test
    void sameSeedSameJsonExceptWallSeconds() throws Exception {
        String a = json(run("clients.0.arrivals=poisson"));
        String b = json(run("clients.0.arrivals=poisson"));
        assertThat(a).isEqualTo(b);
        assertThat(json(run("clients.0.arrivals=poisson", "seed=2"))).isNotEqualTo(a);
    }

    @Test
    void loadStartsWhenTheLastInitialPodIsReady() {
        RunResult r = run("deployments.0.pod.startup=1s", "deployments.0.pod.readinessDelay=1s");
        assertThat(r.timeline().get(0).attempted()).isZero();
        assertThat(r.timeline().get(1).attempted()).isZero();
        assertThat(r.connections().attempted()).isEqualTo(150);
        assertThat(r.connections().failed()).isZero();
    }

    @Test
    void pooledLoadBySetReusesOneKeepAliveConnection() throws Exception {
        RunResult r = run("clients.0.pattern=pooled", "deployments.0.pod.closer=client");
        // 50 requests/s for 5 s, each answered in 2 ms: the most recently used idle connection serves them all
        assertThat(r.requests().attempted()).isEqualTo(250);
        assertThat(r.requests().failed()).isZero();
        assertThat(r.connections().attempted()).isZero();
        assertThat(r.connections().inFlight()).isEqualTo(1);
        assertThat(r.timeline()).extracting(Results.Second::requests).containsExactly(50L, 50L, 50L, 50L, 50L);
        assertThat(json(run("clients.0.pattern=pooled", "deployments.0.pod.closer=client")))
                .isEqualTo(json(r));
    }

    @Test
    void aServerThatClosesAfterEachResponseLeavesThePoolOneConnectionPerRequest() {
        RunResult r = run("clients.0.pattern=pooled");
        assertThat(r.requests().attempted()).isEqualTo(250);
        assertThat(r.requests().failed()).isZero();
        assertThat(r.connections().attempted()).isEqualTo(250);
        assertThat(r.connections().failed()).isZero();
    }
}
