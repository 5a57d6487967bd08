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

    void emit(TraceEvent e);
}
