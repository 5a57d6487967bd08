package io.svclab.net.trace;

/** A neighbour (ARP) entry changed state. */
public record NeighbourChanged(long time, String where, String device, String address, String from, String to)
        implements TraceEvent {

    @Override
    public long flowId() {
        return 0;
    }

    @Override
    public String format() {
        return "neigh " + address + " dev " + device + " " + from + " -> " + to;
    }
}
