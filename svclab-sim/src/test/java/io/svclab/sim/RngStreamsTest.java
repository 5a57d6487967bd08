package io.svclab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RngStreamsTest {

    private static long[] draw(SplittableRandom r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void sameSeedAndNameGiveTheSameNumbers() {
        long[] first = draw(new RngStreams(42).stream("client/caller-0/arrivals"), 100);
        long[] second = draw(new RngStreams(42).stream("client/caller-0/arrivals"), 100);

        assertThat(first).containsExactly(second);
    }

    @Test
    void differentNamesGiveDifferentNumbers() {
        RngStreams rng = new RngStreams(42);

        long[] a = draw(rng.stream("a"), 8);
        long[] b = draw(rng.stream("b"), 8);

        assertThat(a).doesNotContain(b);
    }

    @Test
    void differentSeedsGiveDifferentNumbers() {
        long[] s42 = draw(new RngStreams(42).stream("a"), 8);
        long[] s43 = draw(new RngStreams(43).stream("a"), 8);

        assertThat(s42).doesNotContain(s43);
    }

    @Test
    void similarNamesGiveDifferentNumbers() {
        RngStreams rng = new RngStreams(0);

        long ab = rng.stream("ab").nextLong();
        long ba = rng.stream("ba").nextLong();
        long empty = rng.stream("").nextLong();

        assertThat(ab).isNotEqualTo(ba);
        assertThat(ab).isNotEqualTo(empty);
        assertThat(ba).isNotEqualTo(empty);
    }

    @Test
    void streamDoesNotDependOnOtherStreamsRequestedBefore() {
        RngStreams alone = new RngStreams(7);
        long[] aAlone = draw(alone.stream("a"), 50);

        RngStreams withB = new RngStreams(7);
        draw(withB.stream("b"), 13);
        long[] aAfterB = draw(withB.stream("a"), 50);

        assertThat(aAfterB).containsExactly(aAlone);
    }

    @Test
    void sameNameReturnsTheSameGenerator() {
        RngStreams rng = new RngStreams(1);

        SplittableRandom first = rng.stream("x");
        first.nextLong();
        SplittableRandom again = rng.stream("x");

        assertThat(again).isSameAs(first);
    }

    @Test
    void seedIsKept() {
        assertThat(new RngStreams(-9).seed()).isEqualTo(-9);
    }

    @Test
    void streamNumbersAreStableAcrossVersions() {
        SplittableRandom r = new RngStreams(42).stream("client/caller-0/arrivals");

        assertThat(draw(r, 3)).containsExactly(GOLDEN);
    }

    private static final long[] GOLDEN = {6461769862657653183L, 2736945473123642264L, 4448015527797436330L};
}
