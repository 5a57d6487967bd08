package io.svclab.net.trace;

/** The stack dropped a packet outside the hook functions, with the reason. */
public record PacketDropped(long time, String where, DropReason reason, long flowId, String packet)
        implements TraceEvent {

    @Override
    public String format() {
        return "drop " + reason.name().toLowerCase(java.util.Locale.ROOT) + " " + packet;
    }
}
