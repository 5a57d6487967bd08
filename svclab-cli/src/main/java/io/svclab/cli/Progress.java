package io.svclab.cli;

import io.svclab.sim.Action;
import io.svclab.sim.EventListener;
import io.svclab.sim.Simulation;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress bar of a long run on a terminal's standard error: simulated time done of the
 * total, events per wall second and wall time elapsed, redrawn in place ({@code \r}) about five
 * times a second once the run has taken a second, and erased at the end. It watches the
 * simulation as its {@link EventListener} and reads the wall clock only every
 * {@value #CHECK_EVERY} events, so it allocates nothing per event and costs a counter and a mask
 * test per event. The wall clock is read here, in the command-line layer, never in the model.
 */
final class Progress implements EventListener {

    /** Events between two looks at the wall clock. */
    static final int CHECK_EVERY = 1 << 14;
    static final long SHOW_AFTER_NS = 1_000_000_000L;
    static final long REDRAW_NS = 200_000_000L;
    static final int WIDTH = 30;

    private final PrintWriter err;
    private final LongSupplier wallClock;
    private final long totalNs;
    private final long startWall;
    private long events;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnLength;

    Progress(PrintWriter err, LongSupplier wallClock, long totalNs) {
        this.err = err;
        this.wallClock = wallClock;
        this.totalNs = totalNs;
        this.startWall = wallClock.getAsLong();
    }

    /**
     * Whether standard error is a terminal: the launcher says so in {@code SVCLAB_STDERR_TTY}
     * ({@code [ -t 2 ]}); under {@code java -jar} without it, a console means a terminal.
     */
    static boolean stderrIsTerminal(String env, boolean console) {
        if (env != null && !env.isEmpty()) {
            return env.equals("1");
        }
        return console;
    }

    /** Starts watching a simulation. */
    void attach(Simulation sim) {
        sim.setListener(this);
    }

    @Override
    public void onEvent(long time, int priority, long seq, Action action) {
        if ((++events & (CHECK_EVERY - 1)) != 0) {
            return;
        }
        long now = wallClock.getAsLong();
        if (now - startWall < SHOW_AFTER_NS || (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NS)) {
            return;
        }
        lastDraw = now;
        String line = render(time, totalNs, events, now - startWall);
        err.print('\r');
        err.print(line);
        for (int i = line.length(); i < drawnLength; i++) {
            err.print(' ');
        }
        drawnLength = line.length();
        err.flush();
    }

    /** Erases the bar, if it was drawn. */
    void finish() {
        if (drawnLength > 0) {
            err.print('\r');
            err.print(" ".repeat(drawnLength));
            err.print('\r');
            err.flush();
            drawnLength = 0;
        }
    }

    /**
     * One line of the bar, e.g.
     * {@code [#########.....................]  30% 18.0/60.0 s simulated  1.25M events/s  2.1 s}.
     */
    static String render(long simNs, long totalNs, long events, long wallNs) {
        double frac = totalNs <= 0 ? 1 : Math.max(0, Math.min(1, (double) simNs / totalNs));
        int filled = (int) Math.floor(frac * WIDTH);
        StringBuilder b = new StringBuilder(96).append('[');
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '#' : '.');
        }
        b.append(']');
        double rate = wallNs <= 0 ? 0 : events / (wallNs / 1e9);
        b.append(String.format(Locale.ROOT, " %3d%% %.1f/%.1f s simulated  %s events/s  %.1f s",
                (int) Math.floor(frac * 100), simNs / 1e9, totalNs / 1e9, si(rate), wallNs / 1e9));
        return b.toString();
    }

    /** 950, 12.3k, 1.25M. */
    static String si(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
