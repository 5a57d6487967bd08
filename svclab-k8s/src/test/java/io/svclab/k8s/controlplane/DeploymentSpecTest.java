package io.svclab.k8s.controlplane;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentSpecTest {

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, 4)).containsExactly(1, 1);
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, 3)).containsExactly(1, 0);
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, 1)).containsExactly(1, 0);
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.DEFAULT, IntOrPercent.DEFAULT, 10)).containsExactly(3, 2);
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.percent(0), IntOrPercent.percent(10), 5))
                .containsExactly(0, 1);
    }

    @Test
    void bothZeroResolvesUnavailableToOne() {
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.of(0), IntOrPercent.of(0), 3)).containsExactly(0, 1);
        assertThat(DeploymentSpec.resolveFenceposts(IntOrPercent.of(2), IntOrPercent.of(5), 3)).containsExactly(2, 5);
    }

    @Test
    void parsesNumbersAndPercentages() {
        assertThat(IntOrPercent.parse("25%")).isEqualTo(IntOrPercent.percent(25));
        assertThat(IntOrPercent.parse("1")).isEqualTo(IntOrPercent.of(1));
        assertThat(IntOrPercent.parse(" 0 ").toString()).isEqualTo("0");
        assertThatThrownBy(() -> IntOrPercent.parse("x%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x%");
        assertThatThrownBy(() -> IntOrPercent.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeReplicasAndDurations() {
        PodTemplate t = new PodTemplate(0, 0, 0, 0, OnSigterm.EXIT);
        assertThatThrownBy(() -> new DeploymentSpec("b", "b", -1, List.of(), IntOrPercent.DEFAULT,
                IntOrPercent.DEFAULT, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodTemplate(-1, 0, 0, 0, OnSigterm.EXIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startup");
    }

    @Test
    void podEventPrintsSecondsWithMilliseconds() {
        assertThat(new PodEvent(13_250_000_000L, PodEvent.Kind.DELETED, "backend-2").toString())
                .isEqualTo("13.250s DELETED backend-2");
    }
}
