package io.svclab.net.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every event in order (tests, {@code --trace}, small scenarios). */
public final class RecordingTrace implements Trace {

    private final List<TraceEvent> events = new ArrayList<>();

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void emit(TraceEvent e) {
        events.add(e);
    }

    public List<TraceEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The events of one type, in order. */
    public <T extends TraceEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** Lines {@code time_ns where format}, for deterministic comparisons. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(events.size());
        for (TraceEvent e : events) {
            out.add(e.time() + " " + e.where() + " " + e.format());
        }
        return out;
    }
}
