package io.svclab.cli;

import io.svclab.sim.Action;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress bar, driven by a fake wall clock. */
class ProgressTest {

    private static final long MS = 1_000_000L;
    private static final Action NOTHING = () -> { };

    @Test
    void rendersSimulatedTimeDoneOfTotalEventsPerSecondAndWallTime() {
        assertThat(Progress.render(18_000_000_000L, 60_000_000_000L, 2_500_000, 2000 * MS))
                .isEqualTo("[#########.....................]  30% 18.0/60.0 s simulated  1.25M events/s  2.0 s");
        assertThat(Progress.render(60_000_000_000L, 60_000_000_000L, 9_000, 1500 * MS))
                .isEqualTo("[##############################] 100% 60.0/60.0 s simulated  6.0k events/s  1.5 s");
        assertThat(Progress.render(0, 30_000_000_000L, 0, 0))
                .isEqualTo("[..............................]   0% 0.0/30.0 s simulated  0 events/s  0.0 s");
    }

    @Test
    void staysSilentForTheFirstSecondThenRedrawsInPlaceAtMostFiveTimesASecondAndErasesItself() {
        long[] wall = {0};
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), () -> wall[0], 10_000_000_000L);
        int batch = Progress.CHECK_EVERY;
        // 0.9 s of wall time: nothing drawn
        wall[0] = 900 * MS;
        for (int i = 0; i < batch; i++) {
            p.onEvent(1_000_000_000L, 0, i, NOTHING);
        }
        assertThat(out.toString()).isEmpty();
        // past one second: the next look at the clock draws
        wall[0] = 1000 * MS;
        for (int i = 0; i < batch; i++) {
            p.onEvent(2_000_000_000L, 0, i, NOTHING);
        }
        String first = "\r[######........................]  20% 2.0/10.0 s simulated  32.8k events/s  1.0 s";
        assertThat(out.toString()).isEqualTo(first);
        // 100 ms later: too soon to redraw
        wall[0] = 1100 * MS;
        for (int i = 0; i < batch; i++) {
            p.onEvent(3_000_000_000L, 0, i, NOTHING);
        }
        assertThat(out.toString()).isEqualTo(first);
        // 200 ms after the last drawing: redrawn over the old line
        wall[0] = 1200 * MS;
        for (int i = 0; i < batch; i++) {
            p.onEvent(5_000_000_000L, 0, i, NOTHING);
        }
        String second = "\r[###############...............]  50% 5.0/10.0 s simulated  54.6k events/s  1.2 s";
        assertThat(out.toString()).isEqualTo(first + second);
        p.finish();
        assertThat(out.toString()).isEqualTo(first + second + "\r" + " ".repeat(second.length() - 1) + "\r");
    }

    @Test
    void theLauncherDecidesWhetherStandardErrorIsATerminalElseTheConsoleDoes() {
        assertThat(Progress.stderrIsTerminal("1", false)).isTrue();
        assertThat(Progress.stderrIsTerminal("0", true)).isFalse();
        assertThat(Progress.stderrIsTerminal(null, true)).isTrue();
        assertThat(Progress.stderrIsTerminal("", false)).isFalse();
    }

    @Test
    void aRunWhoseStandardErrorIsNoTerminalPrintsNoProgress() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), "run", "builtin:minimal");
        assertThat(rc).isZero();
        assertThat(err.toString()).doesNotContain("\r").doesNotContain("simulated  ");
    }
}
