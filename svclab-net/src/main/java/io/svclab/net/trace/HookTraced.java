package io.svclab.net.trace;

import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;

/** A packet passed one hook function (the {@code nftrace}/{@code pwru} view). */
public record HookTraced(long time, String where, Hook hook, String function, int priority, Verdict verdict,
                         long flowId, String packet) implements TraceEvent {

    @Override
    public String format() {
        return hook + " " + function + "(" + priority + ") " + verdict + " " + packet;
    }
}
