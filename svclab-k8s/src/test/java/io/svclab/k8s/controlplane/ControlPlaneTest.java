package io.svclab.k8s.controlplane;

import io.svclab.k8s.EndpointSlice;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ControlPlaneTest {

    static final long S = 1_000_000_000L;

    final Simulation sim = new Simulation(1);
    final FakeRuntime rt = new FakeRuntime(sim);
    final ControlPlane cp = new ControlPlane(sim, rt);

    static PodTemplate template(long preStopS, long graceS, OnSigterm on) {
        return new PodTemplate(2 * S, 1 * S, preStopS * S, graceS * S, on);
    }

    void deploy(int replicas, IntOrPercent surge, IntOrPercent unavailable, PodTemplate t) {
        cp.addService("backend", 8080);
        cp.addDeployment(new DeploymentSpec("backend", "backend", replicas, List.of(), surge, unavailable, t));
    }

    void at(long timeNs, Runnable r) {
        sim.schedule(timeNs, Priority.CONTROL, r::run);
    }

    List<String> lifecycle(PodEvent.Kind... kinds) {
        List<String> out = new ArrayList<>();
        for (PodEvent e : cp.events()) {
            for (PodEvent.Kind k : kinds) {
                if (e.kind() == k) {
                    out.add(e.toString());
                }
            }
        }
        return out;
    }

    static String conditions(EndpointSlice s) {
        StringBuilder sb = new StringBuilder("g" + s.generation() + ":");
        for (EndpointSlice.Endpoint e : s.endpoints()) {
            sb.append(' ').append(e.pod()).append('=').append(e.ready() ? 'R' : '-')
                    .append(e.serving() ? 'S' : '-').append(e.terminating() ? 'T' : '-');
        }
        return sb.toString();
    }

    @Test
    void initialPodsAreCreatedInOrdinalOrderAndBecomeReadyAfterStartupAndReadiness() {
        deploy(3, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        sim.runUntil(10 * S);
        assertThat(rt.calls).containsExactly(
                "0.000s create backend-0", "0.000s create backend-1", "0.000s create backend-2",
                "2.000s listen backend-0", "2.000s listen backend-1", "2.000s listen backend-2");
        assertThat(lifecycle(PodEvent.Kind.READY)).containsExactly(
                "3.000s READY backend-0", "3.000s READY backend-1", "3.000s READY backend-2");
        assertThat(cp.rolloutComplete("backend")).isTrue();
        assertThat(cp.replicaSets("backend")).hasSize(1);
        assertThat(cp.replicaSets("backend").get(0).revision()).isEqualTo(1);
    }

    @Test
    void rollingUpdateSurgeOneUnavailableZero() {
        deploy(3, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "10.000s CREATED backend-3",
                "13.000s DELETED backend-2", "13.000s CREATED backend-4",
                "16.000s DELETED backend-1", "16.000s CREATED backend-5",
                "19.000s DELETED backend-0");
        assertThat(cp.rolloutComplete("backend")).isTrue();
        assertThat(cp.pods()).extracting(PodStatus::name).containsExactly("backend-3", "backend-4", "backend-5");
        assertThat(cp.replicaSets("backend")).extracting(ReplicaSetStatus::revision, ReplicaSetStatus::replicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0), org.assertj.core.groups.Tuple.tuple(2, 3));
    }

    @Test
    void rollingUpdateTwentyFivePercentBothWaysResolvesToSurgeOneUnavailableZeroForThreeReplicas() {
        deploy(3, IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "10.000s CREATED backend-3",
                "13.000s DELETED backend-2", "13.000s CREATED backend-4",
                "16.000s DELETED backend-1", "16.000s CREATED backend-5",
                "19.000s DELETED backend-0");
    }

    @Test
    void rollingUpdateSurgeZeroUnavailableOne() {
        deploy(3, IntOrPercent.of(0), IntOrPercent.of(1), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "10.000s DELETED backend-2", "10.000s CREATED backend-3",
                "13.000s DELETED backend-1", "13.000s CREATED backend-4",
                "16.000s DELETED backend-0", "16.000s CREATED backend-5");
        assertThat(lifecycle(PodEvent.Kind.READY)).last().isEqualTo("19.000s READY backend-5");
        assertThat(cp.rolloutComplete("backend")).isTrue();
    }

    @Test
    void rollingUpdateSurgeTwoUnavailableOneForFourReplicas() {
        deploy(4, IntOrPercent.of(2), IntOrPercent.of(1), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        // t=10: new 0→2 (4+2 in all), then old 4→3 (one may be unavailable), then new 2→3;
        // t=13: each of the three readiness events frees one old pod; the first also lets new 3→4
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "0.000s CREATED backend-3",
                "10.000s CREATED backend-4", "10.000s CREATED backend-5", "10.000s DELETED backend-3",
                "10.000s CREATED backend-6",
                "13.000s DELETED backend-2", "13.000s CREATED backend-7", "13.000s DELETED backend-1",
                "13.000s DELETED backend-0");
        assertThat(cp.rolloutComplete("backend")).isTrue();
    }

    @Test
    void bothBoundsZeroMeansOneUnavailable() {
        deploy(3, IntOrPercent.of(0), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).startsWith(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "10.000s DELETED backend-2", "10.000s CREATED backend-3");
    }

    @Test
    void terminationWithPreStopAndExitClosesTheListenerAtSigtermAndTheIpVanishesThen() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(5, 30, OnSigterm.EXIT));
        List<String> slices = new ArrayList<>();
        cp.subscribe(s -> slices.add(FakeRuntime.time(sim.now()) + " " + conditions(s)), 0);
        at(10 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(lifecycle(PodEvent.Kind.values())).containsExactly(
                "0.000s CREATED backend-0", "2.000s LISTENING backend-0", "3.000s READY backend-0",
                "10.000s DELETED backend-0", "15.000s SIGTERM backend-0", "15.000s EXITED backend-0",
                "15.000s DESTROYED backend-0");
        assertThat(rt.calls).containsExactly("0.000s create backend-0", "2.000s listen backend-0",
                "15.000s exit backend-0", "15.000s destroy backend-0");
        assertThat(slices).containsExactly(
                "0.000s g2: backend-0=---",
                "3.000s g3: backend-0=RS-",
                "10.000s g4: backend-0=-ST",
                "15.000s g5: backend-0=--T",
                "15.000s g6:");
    }

    @Test
    void terminationWithDrainKeepsServingUntilSigkillAtTheEndOfTheGracePeriod() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(5, 30, OnSigterm.DRAIN));
        List<String> slices = new ArrayList<>();
        cp.subscribe(s -> slices.add(FakeRuntime.time(sim.now()) + " " + conditions(s)), 0);
        at(10 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(lifecycle(PodEvent.Kind.values())).containsExactly(
                "0.000s CREATED backend-0", "2.000s LISTENING backend-0", "3.000s READY backend-0",
                "10.000s DELETED backend-0", "15.000s SIGTERM backend-0", "40.000s SIGKILL backend-0",
                "40.000s EXITED backend-0", "40.000s DESTROYED backend-0");
        assertThat(rt.calls).containsExactly("0.000s create backend-0", "2.000s listen backend-0",
                "40.000s exit backend-0", "40.000s destroy backend-0");
        assertThat(slices).containsExactly(
                "0.000s g2: backend-0=---",
                "3.000s g3: backend-0=RS-",
                "10.000s g4: backend-0=-ST",
                "40.000s g5: backend-0=--T",
                "40.000s g6:");
    }

    @Test
    void preStopLongerThanTheGracePeriodGetsTwoMoreSecondsAfterSigterm() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(40, 30, OnSigterm.DRAIN));
        at(10 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(lifecycle(PodEvent.Kind.SIGTERM, PodEvent.Kind.SIGKILL, PodEvent.Kind.DESTROYED)).containsExactly(
                "40.000s SIGTERM backend-0", "42.000s SIGKILL backend-0", "42.000s DESTROYED backend-0");
    }

    @Test
    void podDeletedBeforeItListensNeverServes() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(1 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(rt.calls).containsExactly("0.000s create backend-0", "1.000s exit backend-0",
                "1.000s destroy backend-0");
    }

    @Test
    void rollingUpdateSlicesShowTerminatingOldPodsNextToNewOnes() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(5, 30, OnSigterm.EXIT));
        List<String> slices = new ArrayList<>();
        at(10 * S, () -> {
            cp.subscribe(s -> slices.add(FakeRuntime.time(sim.now()) + " " + conditions(s)), 0);
            cp.rolloutRestart("backend");
        });
        sim.runUntil(40 * S);
        assertThat(slices).containsExactly(
                "10.000s g4: backend-0=RS- backend-1=RS-",
                "10.000s g5: backend-0=RS- backend-1=RS- backend-2=---",
                "13.000s g6: backend-0=RS- backend-1=-ST backend-2=RS- backend-3=---",
                "16.000s g7: backend-0=-ST backend-1=-ST backend-2=RS- backend-3=RS-",
                "18.000s g8: backend-0=-ST backend-1=--T backend-2=RS- backend-3=RS-",
                "18.000s g9: backend-0=-ST backend-2=RS- backend-3=RS-",
                "21.000s g10: backend-0=--T backend-2=RS- backend-3=RS-",
                "21.000s g11: backend-2=RS- backend-3=RS-");
    }

    @Test
    void subscribersReceiveTheCurrentSliceAtOnceThenEveryNewOneTheirWatchDelayLaterInOrder() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        List<String> fast = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        cp.subscribe(s -> fast.add(FakeRuntime.time(sim.now()) + " " + conditions(s)), 100_000_000L);
        cp.subscribe(s -> slow.add(FakeRuntime.time(sim.now()) + " " + conditions(s)), 1_500 * 1_000_000L);
        at(10 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(fast).containsExactly(
                "0.000s g2: backend-0=---",
                "3.100s g3: backend-0=RS-",
                "10.100s g4: backend-0=-ST",
                "10.100s g5: backend-0=--T",
                "10.100s g6:");
        assertThat(slow).containsExactly(
                "0.000s g2: backend-0=---",
                "4.500s g3: backend-0=RS-",
                "11.500s g4: backend-0=-ST",
                "11.500s g5: backend-0=--T",
                "11.500s g6:");
    }

    @Test
    void scaleUpAddsTheNextOrdinalsAndScaleDownDeletesTheMostRecentlyReadyFirst() {
        deploy(3, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.scale("backend", 5));
        at(20 * S, () -> cp.scale("backend", 2));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1", "0.000s CREATED backend-2",
                "10.000s CREATED backend-3", "10.000s CREATED backend-4",
                "20.000s DELETED backend-4", "20.000s DELETED backend-3", "20.000s DELETED backend-2");
        assertThat(cp.pods()).extracting(PodStatus::name).containsExactly("backend-0", "backend-1");
        assertThat(cp.replicas("backend")).isEqualTo(2);
    }

    @Test
    void scaleDownDeletesNotReadyPodsFirst() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.scale("backend", 3));
        at(11 * S, () -> cp.scale("backend", 1));
        sim.runUntil(30 * S);
        assertThat(lifecycle(PodEvent.Kind.DELETED)).containsExactly(
                "11.000s DELETED backend-2", "11.000s DELETED backend-1");
    }

    @Test
    void podIpsAreTakenByOrdinalEachOnce() {
        int a = 10 << 24 | 244 << 16 | 1 << 8 | 3;
        int b = 10 << 24 | 244 << 16 | 2 << 8 | 5;
        cp.addService("backend", 8080);
        cp.addDeployment(new DeploymentSpec("backend", "backend", 2, List.of(a, b), IntOrPercent.of(1),
                IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT)));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(30 * S);
        assertThat(cp.pods()).extracting(PodStatus::name, PodStatus::ip).containsExactly(
                org.assertj.core.groups.Tuple.tuple("backend-2", 10 << 24 | 244 << 16 | 1 << 8 | 100),
                org.assertj.core.groups.Tuple.tuple("backend-3", 10 << 24 | 244 << 16 | 1 << 8 | 101));
        assertThat(cp.slice("backend").endpoints()).extracting(EndpointSlice.Endpoint::port).containsOnly(8080);
    }

    @Test
    void vanishedPodIsDestroyedWithoutExitAndReplacedAtOnce() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.vanishPod("backend-0"));
        sim.runUntil(30 * S);
        assertThat(rt.calls).containsSubsequence("10.000s destroy backend-0", "10.000s create backend-2");
        assertThat(rt.only("exit")).isEmpty();
        assertThat(cp.pods()).extracting(PodStatus::name).containsExactly("backend-1", "backend-2");
    }

    @Test
    void zeroStartupAndReadinessAreReadyAtTimeZero() {
        cp.addService("backend", 8080);
        cp.addDeployment(new DeploymentSpec("backend", "backend", 2, List.of(), IntOrPercent.DEFAULT,
                IntOrPercent.DEFAULT, new PodTemplate(0, 0, 0, 30 * S, OnSigterm.EXIT)));
        assertThat(conditions(cp.slice("backend"))).isEqualTo("g2: backend-0=RS- backend-1=RS-");
        assertThat(cp.rolloutComplete("backend")).isTrue();
    }

    @Test
    void restartDuringARolloutMakesTheUnfinishedNewReplicaSetAnOldOne() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        at(11 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(40 * S);
        assertThat(cp.replicaSets("backend")).extracting(ReplicaSetStatus::revision, ReplicaSetStatus::replicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0), org.assertj.core.groups.Tuple.tuple(2, 0),
                        org.assertj.core.groups.Tuple.tuple(3, 2));
        assertThat(lifecycle(PodEvent.Kind.CREATED, PodEvent.Kind.DELETED)).containsExactly(
                "0.000s CREATED backend-0", "0.000s CREATED backend-1",
                "10.000s CREATED backend-2",
                "11.000s DELETED backend-2", "11.000s CREATED backend-3",
                "14.000s DELETED backend-1", "14.000s CREATED backend-4",
                "17.000s DELETED backend-0");
        assertThat(cp.rolloutComplete("backend")).isTrue();
    }

    @Test
    void drainingPodDeletedWhileStartingStillListensAndServesUntilSigkill() {
        deploy(1, IntOrPercent.of(1), IntOrPercent.of(0), template(0, 30, OnSigterm.DRAIN));
        at(1 * S, () -> cp.scale("backend", 0));
        sim.runUntil(60 * S);
        assertThat(rt.calls).containsExactly("0.000s create backend-0", "2.000s listen backend-0",
                "31.000s exit backend-0", "31.000s destroy backend-0");
        assertThat(lifecycle(PodEvent.Kind.READY)).containsExactly("3.000s READY backend-0");
    }

    @Test
    void oneSliceListsThePodsOfEveryDeploymentBehindTheService() {
        cp.addService("backend", 8080);
        cp.addService("other", 9090);
        PodTemplate t = new PodTemplate(0, 0, 0, 30 * S, OnSigterm.EXIT);
        cp.addDeployment(new DeploymentSpec("blue", "backend", 1, List.of(), IntOrPercent.DEFAULT,
                IntOrPercent.DEFAULT, t));
        cp.addDeployment(new DeploymentSpec("green", "backend", 2, List.of(), IntOrPercent.DEFAULT,
                IntOrPercent.DEFAULT, t));
        List<String> seen = new ArrayList<>();
        cp.subscribe(s -> seen.add(FakeRuntime.time(sim.now()) + " " + s.service() + " " + conditions(s)), 0);
        sim.runUntil(1 * S);
        assertThat(seen).containsExactly(
                "0.000s backend g3: blue-0=RS- green-0=RS- green-1=RS-",
                "0.000s other g1:");
    }

    @Test
    void rolloutIsIncompleteWhileOldPodsRemain() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(5, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.rolloutRestart("backend"));
        sim.runUntil(16 * S);
        assertThat(cp.rolloutComplete("backend")).isFalse();
        assertThat(cp.pods()).extracting(PodStatus::name, PodStatus::terminating).containsExactly(
                org.assertj.core.groups.Tuple.tuple("backend-0", true),
                org.assertj.core.groups.Tuple.tuple("backend-1", true),
                org.assertj.core.groups.Tuple.tuple("backend-2", false),
                org.assertj.core.groups.Tuple.tuple("backend-3", false));
        sim.runUntil(22 * S);
        assertThat(cp.rolloutComplete("backend")).isTrue();
    }

    @Test
    void unknownNamesAreRefused() {
        cp.addService("backend", 8080);
        PodTemplate t = template(0, 30, OnSigterm.EXIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cp.addDeployment(new DeploymentSpec("b", "nope", 1,
                List.of(), IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, t)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown service 'nope'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cp.scale("nope", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no deployment 'nope'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cp.vanishPod("backend-9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no pod 'backend-9'");
    }

    @Test
    void deletedPodTerminatesGracefullyAndIsReplacedAtOnce() {
        deploy(2, IntOrPercent.of(1), IntOrPercent.of(0), template(5, 30, OnSigterm.EXIT));
        at(10 * S, () -> cp.deletePod("backend-0"));
        at(11 * S, () -> cp.deletePod("backend-0"));
        sim.runUntil(30 * S);
        assertThat(rt.calls).containsExactly("0.000s create backend-0", "0.000s create backend-1",
                "2.000s listen backend-0", "2.000s listen backend-1",
                "10.000s create backend-2", "12.000s listen backend-2",
                "15.000s exit backend-0", "15.000s destroy backend-0");
        assertThat(conditions(cp.slice("backend"))).isEqualTo("g8: backend-1=RS- backend-2=RS-");
    }

    @Test
    void sameInputsGiveTheSameRun() {
        assertThat(run()).isEqualTo(run());
    }

    private static List<String> run() {
        Simulation sim = new Simulation(7);
        FakeRuntime rt = new FakeRuntime(sim);
        ControlPlane cp = new ControlPlane(sim, rt);
        List<String> out = new ArrayList<>();
        cp.addService("backend", 8080);
        cp.subscribe(s -> out.add(sim.now() + " " + conditions(s)), 250_000_000L);
        cp.addDeployment(new DeploymentSpec("backend", "backend", 4, List.of(), IntOrPercent.DEFAULT,
                IntOrPercent.DEFAULT, template(3, 10, OnSigterm.DRAIN)));
        sim.schedule(10 * S, Priority.CONTROL, () -> cp.rolloutRestart("backend"));
        sim.schedule(12 * S, Priority.CONTROL, () -> cp.scale("backend", 6));
        sim.schedule(14 * S, Priority.CONTROL, () -> cp.rolloutRestart("backend"));
        sim.runUntil(120 * S);
        out.addAll(rt.calls);
        for (PodEvent e : cp.events()) {
            out.add(e.toString());
        }
        out.add(cp.replicaSets("backend").toString());
        return out;
    }
}
