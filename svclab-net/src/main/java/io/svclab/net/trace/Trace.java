package io.svclab.net.trace;

/**
 * The one sink of everything a user may ask about afterwards. Model code emits a
 * {@link TraceEvent} at each decision, guarded by {@link #enabled()} so that a run without
 * tracing allocates nothing for it. Explanations, {@code --trace}, pcap and dumps are sinks; none
 * of them re-derives what happened.
 */
public interface Trace {

    /** A sink that wants nothing. */
    Trace NONE = new Trace() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void emit(TraceEvent e) {
            // nothing wanted
        }
    };

    /** Whether events should be built and emitted at all. */
    boolean enabled();

    /**
     * Whether the per-packet path is wanted too: every hook function a packet passes
     * ({@link HookTraced}) and every link transmission ({@link LinkTransmitted}). A sink that only
     * collects decisions (explanations) says no, so that a large run does not build a line per hook
     * per packet. Only asked when {@link #enabled()}.
     */
    default boolean packets() {
        return enabled();
    }

    /**
     * Whether the decisions of this connection are wanted (flow id 0: decisions no packet caused,
     * always wanted). A sink that keeps only live connections says no for the others, so that the
     * entry snapshots of long-finished connections (expiring conntrack or IPVS entries) are not built.
     * Only asked when {@link #enabled()}.
     */
    default boolean wants(long flowId) {
        return true;
    }

    void emit(TraceEvent e);
}
