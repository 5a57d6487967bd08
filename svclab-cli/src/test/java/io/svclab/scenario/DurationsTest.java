package io.svclab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertThat(Durations.parse("7ns")).isEqualTo(7L);
        assertThat(Durations.parse("50us")).isEqualTo(50_000L);
        assertThat(Durations.parse("200ms")).isEqualTo(200_000_000L);
        assertThat(Durations.parse("3s")).isEqualTo(3_000_000_000L);
        assertThat(Durations.parse("5m")).isEqualTo(300_000_000_000L);
        assertThat(Durations.parse("2h")).isEqualTo(7_200_000_000_000L);
    }

    @Test
    void parsesDecimalsAndCompounds() {
        assertThat(Durations.parse("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Durations.parse("1m30s")).isEqualTo(90_000_000_000L);
    }

    @Test
    void acceptsBareZeroOnly() {
        assertThat(Durations.parse("0")).isZero();
        assertThatThrownBy(() -> Durations.parse("5"))
                .hasMessage("expected a duration like 200ms, 3s, 5m, got 5 without a unit");
    }

    @Test
    void rejectsGarbageAndSubNanosecond() {
        assertThatThrownBy(() -> Durations.parse("fast")).hasMessage("expected a duration like 200ms, 3s, 5m, got \"fast\"");
        assertThatThrownBy(() -> Durations.parse("-1s")).hasMessage("expected a duration like 200ms, 3s, 5m, got \"-1s\"");
        assertThatThrownBy(() -> Durations.parse("1.5ns")).hasMessage("duration \"1.5ns\" is finer than one nanosecond");
        assertThatThrownBy(() -> Durations.parse("99999999999h")).hasMessage("duration \"99999999999h\" is too long");
    }

    @Test
    void formatsShortestExactForm() {
        assertThat(Durations.format(200_000_000L)).isEqualTo("200ms");
        assertThat(Durations.format(3_000_000_000L)).isEqualTo("3s");
        assertThat(Durations.format(90_000_000_000L)).isEqualTo("90s");
        assertThat(Durations.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(Durations.format(3_600_000_000_000L)).isEqualTo("1h");
        assertThat(Durations.format(50_000L)).isEqualTo("50us");
        assertThat(Durations.format(0L)).isEqualTo("0s");
    }

    @Test
    void formatThenParseIsIdentity() {
        for (long ns : new long[] {1, 999, 1_001_000, 123_456_789_012L, Long.MAX_VALUE}) {
            assertThat(Durations.parse(Durations.format(ns))).isEqualTo(ns);
        }
    }
}
