package io.svclab.net.trace;

/** A packet left an interface onto a link (one counted link packet). */
public record LinkTransmitted(long time, String where, String device, long flowId, long packetId, String packet,
                              boolean delivered) implements TraceEvent {

    @Override
    public String format() {
        return "tx " + device + " " + packet + (delivered ? "" : " (no host with that MAC: lost)");
    }
}
