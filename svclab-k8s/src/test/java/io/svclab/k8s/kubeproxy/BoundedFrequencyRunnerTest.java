package io.svclab.k8s.kubeproxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedFrequencyRunnerTest {

    private static final String A = "10.244.1.2";

    private static Lab iptables(long minSyncNs) {
        return new Lab("6.1", KubeProxy.Config.defaults(KubeProxy.Mode.IPTABLES, "1.28").withMinSyncPeriodNs(minSyncNs));
    }

    @Test
    void threeSlicesWithin100msAfterTheBurstIsSpentGiveOneSyncAtOnceAndOneAtPlusOneSecond() {
        Lab lab = iptables(1_000_000_000L);
        lab.proxy.start();
        lab.sliceAt(9.5, "web", Lab.ready("a", A, 8080));
        lab.sliceAt(10.0, "web", Lab.ready("a", A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        lab.sliceAt(10.04, "web", Lab.ready("b", Lab.POD_B, 8080));
        lab.sliceAt(10.08, "web", Lab.terminating("b", Lab.POD_B, 8080));
        lab.runUntil(12);
        // start, 9.5 (token 2 -> 1), 10.0 (1.5 -> 0.5), then 10.04 and 10.08 wait for 11.0
        assertThat(lab.syncMillis()).containsExactly(0L, 9500L, 10000L, 11000L);
    }

    @Test
    void aFullBucketLetsTwoSyncsThroughBeforeTheThirdWaitsForMinSyncPeriod() {
        Lab lab = iptables(1_000_000_000L);
        lab.proxy.start();
        lab.sliceAt(10.0, "web", Lab.ready("a", A, 8080));
        lab.sliceAt(10.04, "web", Lab.ready("a", A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        lab.sliceAt(10.08, "web", Lab.ready("b", Lab.POD_B, 8080));
        lab.runUntil(12);
        assertThat(lab.syncMillis()).containsExactly(0L, 10000L, 10040L, 11040L);
    }

    @Test
    void periodicSyncEvery30sCountedFromTheLastSync() {
        Lab lab = iptables(1_000_000_000L);
        lab.proxy.start();
        lab.sliceAt(45.0, "web", Lab.ready("a", A, 8080));
        lab.runUntil(120);
        assertThat(lab.syncMillis()).containsExactly(0L, 30000L, 45000L, 75000L, 105000L);
        assertThat(lab.proxy.runner().nextRunAt()).isEqualTo(135_000_000_000L);
    }

    @Test
    void zeroMinSyncPeriodSyncsOnEveryChange() {
        Lab lab = iptables(0);
        lab.proxy.start();
        lab.sliceAt(1.0, "web", Lab.ready("a", A, 8080));
        lab.sliceAt(1.01, "web", Lab.ready("b", Lab.POD_B, 8080));
        lab.sliceAt(1.02, "web", Lab.ready("a", A, 8080));
        lab.runUntil(2);
        assertThat(lab.syncMillis()).containsExactly(0L, 1000L, 1010L, 1020L);
    }

    @Test
    void defaultMinSyncPeriodsByModeAndVersion() {
        assertThat(List.of(
                KubeProxy.Config.defaults(KubeProxy.Mode.IPTABLES, "1.18").effectiveMinSyncPeriodNs(),
                KubeProxy.Config.defaults(KubeProxy.Mode.IPTABLES, "1.19").effectiveMinSyncPeriodNs(),
                KubeProxy.Config.defaults(KubeProxy.Mode.NFTABLES, "1.31").effectiveMinSyncPeriodNs(),
                KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, "1.28").effectiveMinSyncPeriodNs(),
                KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, "1.28").withMinSyncPeriodNs(10_000_000_000L)
                        .effectiveMinSyncPeriodNs()))
                .containsExactly(0L, 1_000_000_000L, 1_000_000_000L, 0L, 10_000_000_000L);
    }
}
