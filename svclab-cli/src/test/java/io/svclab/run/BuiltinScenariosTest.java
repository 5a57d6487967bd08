package io.svclab.run;

import io.svclab.cli.BuiltinScenarios;
import io.svclab.net.trace.Trace;
import io.svclab.report.JsonReport;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headline figure of each built-in scenario, as the spec predicts it (contract §5,
 * spec ipvs-kube-proxy.md §1.8 and §7), not a snapshot of its JSON.
 */
class BuiltinScenariosTest {

    private static RunResult run(String name, String... sets) {
        return new Runner(ScenarioLoader.loadText("builtin:" + name, BuiltinScenarios.yaml(name), List.of(sets)),
                Trace.NONE).run(0, () -> 0);
    }

    private static List<StepResult.Connect> connects(RunResult r) {
        List<StepResult.Connect> out = new ArrayList<>();
        for (StepResult s : r.steps()) {
            if (s.connect() != null) {
                out.add(s.connect());
            }
        }
        return out;
    }

    @Test
    void seedIncidentFailsOnIpvs419WithConnReuseMode0() {
        RunResult r = run("seed-incident");
        assertThat(r.connections().failed()).isGreaterThan(r.connections().attempted() / 10);
        // nothing fails before the rollout at 30 s
        assertThat(r.timeline().subList(0, 30)).allSatisfy(s -> assertThat(s.failed()).isZero());
    }

    @Test
    void oldKernel1sDelayDelaysByOneSecondOnIpvs419WithConnReuseMode1() {
        RunResult r = run("old-kernel-1s-delay");
        assertThat(r.connections().failed()).isZero();
        assertThat(r.connections().delayed()).isGreaterThan(1000);
        assertThat(r.connections().connectMs().p99()).isBetween(1000.0, 1001.0);
    }

    @Test
    void seedIncidentFixedAndIptablesModeAreClean() {
        for (RunResult r : List.of(run("seed-incident-fixed"), run("iptables-mode"))) {
            assertThat(r.connections().attempted()).isGreaterThan(30_000);
            assertThat(r.connections().failed()).isZero();
            assertThat(r.connections().delayed()).isZero();
        }
    }

    @Test
    void sameSeedGivesByteIdenticalJsonOverAFullRollout() throws IOException {
        assertThat(json(run("seed-incident", "duration=60s"))).isEqualTo(json(run("seed-incident", "duration=60s")));
        assertThat(json(run("seed-incident", "duration=60s", "seed=2"))).isNotEqualTo(json(run("seed-incident", "duration=60s")));
    }

    private static String json(RunResult r) throws IOException {
        StringWriter w = new StringWriter();
        JsonReport.write(r, w);
        return w.toString();
    }

    @Test
    void reuseIpvsDelaysTheReusedPortByOneSecondOn419AndNotOn510() {
        assertThat(connects(run("reuse-ipvs")).get(1).connectMs()).isBetween(1000.0, 1001.0);
        assertThat(connects(run("reuse-ipvs", "kernel=5.10")).get(1).connectMs()).isLessThan(1.0);
        assertThat(connects(run("reuse-ipvs", "sysctl.net.ipv4.vs.conn_reuse_mode=0")).get(1).backend())
                .isEqualTo("10.244.1.3:8080"); // back to the weight-0 server
    }

    @Test
    void staleIptablesReopensAfterTheChallengeAck() {
        StepResult.Connect second = connects(run("stale-iptables")).get(1);
        assertThat(second.backend()).isEqualTo("10.244.1.3:8080");
        assertThat(second.connectMs()).isBetween(8.0, 10.0);
    }

    @Test
    void minimalRunsItsSteps() {
        RunResult r = run("minimal");
        assertThat(r.steps()).extracting(StepResult::type).containsExactly("wait", "sysctl", "wait", "deletePod");
    }

    @Test
    void terminationRaceFailsRightAfterEachDeletionAndAgainWhenThePortsComeBack() {
        RunResult r = run("termination-race");
        List<Integer> failing = new ArrayList<>();
        for (Results.Second t : r.timeline()) {
            if (t.failed() > 0) {
                failing.add(t.second());
            }
        }
        // pods are deleted at 31-37 s as the rollout goes; the SYN_SENT entries left by those
        // failures send the same client ports to the dead pods again one port walk (~47 s) later
        assertThat(failing).isNotEmpty().allSatisfy(sec -> assertThat(sec).isBetween(30, 90));
        assertThat(failing).anySatisfy(sec -> assertThat(sec).isBetween(30, 40));
        assertThat(failing).anySatisfy(sec -> assertThat(sec).isBetween(76, 90));
    }

    @Test
    void rhel7DelaysReusedPortsByOneSecond() {
        RunResult r = run("rhel7-1s-delay");
        assertThat(r.connections().failed()).isZero();
        assertThat(r.connections().delayed()).isGreaterThan(1000);
        assertThat(r.connections().connectMs().max()).isBetween(1000.0, 1001.0);
    }

    @Test
    void clientClosesFirstRecoversIn8msFromLivePodsAndFailsTowardsTheVanishedOne() {
        RunResult r = run("client-closes-first", "duration=90s");
        // before backend-0 vanishes at 30 s nothing fails
        assertThat(r.timeline().subList(0, 30)).allSatisfy(s -> assertThat(s.failed()).isZero());
        // once the port walk comes back (~47 s, ports still in the client's FIN_WAIT2 skipped), reused
        // ports hit CLOSE_WAIT entries: a live pod answers with a challenge ACK, RST, SYN again 8 ms later
        assertThat(r.connections().delayed()).isGreaterThan(1000);
        // the reused ports whose CLOSE_WAIT entries point at the vanished pod keep failing
        assertThat(r.timeline().subList(62, 86)).allSatisfy(s -> assertThat(s.failed()).isPositive());
        assertThat(r.connections().errors().get("APP_TIMEOUT")).isPositive();
    }

    @Test
    void sessionAffinityKeepsTheCallerOnTheOldPodUntilKubeProxySetsExpireQuiescentTemplate() {
        RunResult old = run("session-affinity");
        // one caller, one persistence template: every connection goes to the pod chosen first
        assertThat(old.timeline().subList(2, 30)).allSatisfy(s -> assertThat(s.backends()).hasSize(1));
        assertThat(old.timeline().subList(0, 31)).allSatisfy(s -> assertThat(s.failed()).isZero());
        // after that pod exits (deleted at the rollout, preStop 5 s) the template still sends there
        assertThat(old.timeline().subList(40, 110)).allSatisfy(s -> assertThat(s.failed()).isEqualTo(s.attempted()));
        RunResult fixed = run("session-affinity", "proxy.version=1.20");
        assertThat(fixed.connections().failed()).isZero();
    }

    @Test
    void pooledClientsFailOnlyWithTheRequestsInFlightWhenEachOldPodExitsInBothModes() {
        for (String mode : List.of("ipvs", "iptables")) {
            RunResult r = run("pooled-clients", "proxy.mode=" + mode);
            Results.Requests q = r.requests();
            assertThat(q.attempted()).as(mode).isGreaterThan(40_000); // 500/s for 87 s
            // the only failures: EOF on the requests in flight (about 25 of 40 connections busy) on the
            // connections an old pod's exit closed with FIN
            assertThat(q.failed()).as(mode).isEqualTo(q.errors().get("EOF")).isBetween(10L, 60L);
            assertThat(r.connections().failed()).as(mode).isEqualTo(q.failed());
            assertThat(r.connections().errors().get("EOF")).as(mode).isEqualTo(q.failed());
            // no rebalancing: the 40 connections opened at the start stay on the old pods until each exits
            // (the 5 s preStop lets the rollout take every old pod out of the rules first); the pool then
            // reopens its 40 connections to new pods, which are still open at the end
            assertThat(r.connections().attempted()).as(mode).isEqualTo(40);
            assertThat(r.connections().inFlight()).as(mode).isEqualTo(40);
            // failures only in the seconds an old pod exited (the request arose at most 50 ms earlier)
            List<Long> exits = new ArrayList<>();
            for (io.svclab.k8s.controlplane.PodEvent e : r.podEvents()) {
                if (e.kind() == io.svclab.k8s.controlplane.PodEvent.Kind.SIGTERM) {
                    exits.add(e.timeNs());
                }
            }
            assertThat(exits).as(mode).hasSize(3);
            for (Results.Second t : r.timeline()) {
                if (t.requestsFailed() > 0) {
                    assertThat(exits).as(mode + " second " + t.second()).anySatisfy(x -> assertThat(t.second())
                            .isBetween((int) ((x - 50_000_000L) / 1_000_000_000L), (int) (x / 1_000_000_000L)));
                }
            }
            assertThat(r.timeline().subList(0, 30)).allSatisfy(t -> assertThat(t.requestsFailed()).isZero());
            // every request that arose before the first old pod exited went to an old pod, though the
            // first new pod was ready (and the old ones leaving the rules) seconds before
            long firstExit = exits.stream().mapToLong(Long::longValue).min().orElseThrow();
            long firstNewReady = r.podEvents().stream().filter(e -> e.pod().equals("backend-3")
                    && e.kind() == io.svclab.k8s.controlplane.PodEvent.Kind.READY).findFirst().orElseThrow().timeNs();
            assertThat(firstExit - firstNewReady).as(mode).isGreaterThan(4_000_000_000L);
            long beforeExit = 0;
            for (Results.Second t : r.timeline().subList(0, (int) (firstExit / 1_000_000_000L))) {
                beforeExit += t.requests();
            }
            long toOldPods = 0;
            long total = 0;
            for (Results.Backend b : r.backends()) {
                total += b.requests();
                if (List.of("backend-0", "backend-1", "backend-2").contains(b.pod())) {
                    toOldPods += b.requests();
                }
            }
            assertThat(toOldPods).as(mode).isGreaterThanOrEqualTo(beforeExit);
            // every request that ended was carried by a connection some pod accepted
            assertThat(total).as(mode).isEqualTo(q.attempted());
        }
    }
}
