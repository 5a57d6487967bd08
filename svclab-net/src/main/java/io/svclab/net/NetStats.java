package io.svclab.net;

/** Counters of one run's network, cheap enough to update on every packet. */
public final class NetStats {

    /** Packets put on links, each hop counted once (the contract's {@code packets}). */
    long linkPackets;
    /** ARP requests and replies (not counted in {@link #linkPackets}). */
    long arpFrames;
    /** Packets dropped by the IP layer or a hook function. */
    long drops;
    /** ICMP errors generated. */
    long icmpErrors;

    public long linkPackets() {
        return linkPackets;
    }

    public long arpFrames() {
        return arpFrames;
    }

    public long drops() {
        return drops;
    }

    public long icmpErrors() {
        return icmpErrors;
    }
}
