package io.svclab.net;

/**
 * A transport protocol of a namespace (the TCP or UDP socket layer): receives the packets
 * delivered locally and the ICMP errors that quote one of its packets.
 */
public interface L4Handler {

    /** A packet for a local address passed INPUT. The handler owns it (release it to the pool when done). */
    void receive(Packet p, NetNamespace ns);

    /**
     * An ICMP error quoting a packet of this protocol arrived ({@code tcp_v4_err}); the quoted
     * header is in the packet's {@code inner*} fields. The handler owns the packet.
     */
    void icmpError(Packet icmp, NetNamespace ns);
}
