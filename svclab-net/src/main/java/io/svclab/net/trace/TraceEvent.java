package io.svclab.net.trace;

/** One recorded fact: when, where (namespace), and a one-line rendering. */
public interface TraceEvent {

    /** Simulated time, ns. */
    long time();

    /** The network namespace (or component) it happened in. */
    String where();

    /** The connection it belongs to (0 = none). */
    long flowId();

    /** One line without the time and place, e.g. {@code PREROUTING conntrack_in(-200) ACCEPT ...}. */
    String format();
}
