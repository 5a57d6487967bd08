package io.svclab.net;

/**
 * Sees every frame as a device puts it on a link ({@link L2Segment}), the point where
 * {@code LinkTransmitted} is traced and where tcpdump on the sending device would see it. The
 * packet is pooled and rewritten as soon as the call returns: read (serialize) its fields at once,
 * keep no reference. Installed with {@link Network#setTap}; none by default, which costs one null
 * check per frame.
 */
@FunctionalInterface
public interface PacketTap {

    /**
     * One frame on the wire.
     *
     * @param timeNs the simulated instant of transmission
     * @param from the sending device
     * @param dstMac the destination link-layer address the neighbour entry gave
     * @param p the packet, with its headers as they leave the device (after NAT and TTL decrement)
     */
    void transmitted(long timeNs, NetInterface from, int dstMac, Packet p);
}
