package io.svclab.net;

import io.svclab.sim.Action;

/**
 * An IPv4 packet with the header fields the kernel's decisions read, plus the metadata an skb
 * carries through the stack (conntrack reference, mark, devices). Mutable and pooled
 * ({@link PacketPool}): the hot path rewrites fields in place (NAT) and never allocates.
 *
 * <p>Only headers are modelled; the payload is a length. An ICMP error carries the quoted
 * header of the packet that caused it in the {@code inner*} fields, which is what conntrack
 * (RELATED) and the receiving socket ({@code tcp_v4_err}) read.
 */
public final class Packet implements Action {

    // ------------------------------------------------------------------ IPv4 header
    public int src;
    public int dst;
    public int proto;
    public int ttl;
    /** IP identification, for traces and pcap. */
    public int ipId;

    // ------------------------------------------------------------------ TCP / UDP header
    public int sport;
    public int dport;
    /** {@link TcpFlags} bits. */
    public int tcpFlags;
    /** Sequence and acknowledgement numbers, unsigned 32-bit values held in ints. */
    public int seq;
    public int ack;
    public int window;
    /** TCP timestamp option value and echo reply (0 = option absent). */
    public int tsVal;
    public int tsEcr;
    /** Bytes of payload after the transport header. */
    public int payloadLength;

    // ------------------------------------------------------------------ ICMP
    public int icmpType;
    public int icmpCode;
    public int innerSrc;
    public int innerDst;
    public int innerProto;
    public int innerSport;
    public int innerDport;
    public int innerSeq;

    // ------------------------------------------------------------------ skb metadata
    /** The conntrack entry attached in this namespace ({@code skb->_nfct}), or null. */
    public Object nfct;
    /** ctinfo of {@link #nfct} (conntrack's IP_CT_* value). */
    public int ctinfo;
    /** {@code skb->mark}. */
    public int mark;
    /** Set by IPVS on packets it has handled ({@code skb->ipvs_property}). */
    public boolean ipvsProperty;
    /** Receiving and sending devices in the current namespace. */
    public NetInterface inDev;
    public NetInterface outDev;
    /** Identifies the connection this packet belongs to in traces (0 = none). */
    public long flowId;
    /** Unique number of this transmission, for traces. */
    public long id;

    boolean pooled;

    /** Resets every field, as a fresh skb. */
    public Packet clear() {
        src = dst = proto = ipId = 0;
        ttl = 64;
        sport = dport = tcpFlags = seq = ack = window = tsVal = tsEcr = payloadLength = 0;
        icmpType = icmpCode = innerSrc = innerDst = innerProto = innerSport = innerDport = innerSeq = 0;
        nfct = null;
        ctinfo = 0;
        mark = 0;
        ipvsProperty = false;
        inDev = outDev = null;
        flowId = 0;
        id = 0;
        return this;
    }

    /** Copies every header field and the flow id (not the skb metadata) from another packet. */
    public Packet copyHeadersFrom(Packet o) {
        src = o.src;
        dst = o.dst;
        proto = o.proto;
        ttl = o.ttl;
        ipId = o.ipId;
        sport = o.sport;
        dport = o.dport;
        tcpFlags = o.tcpFlags;
        seq = o.seq;
        ack = o.ack;
        window = o.window;
        tsVal = o.tsVal;
        tsEcr = o.tsEcr;
        payloadLength = o.payloadLength;
        icmpType = o.icmpType;
        icmpCode = o.icmpCode;
        innerSrc = o.innerSrc;
        innerDst = o.innerDst;
        innerProto = o.innerProto;
        innerSport = o.innerSport;
        innerDport = o.innerDport;
        innerSeq = o.innerSeq;
        flowId = o.flowId;
        return this;
    }

    /** Bytes on the wire: IPv4 header + transport header + payload. */
    public int ipLength() {
        switch (proto) {
            case IpProto.TCP:
                return 20 + 20 + (tsVal != 0 || tsEcr != 0 ? 12 : 0) + payloadLength;
            case IpProto.UDP:
                return 20 + 8 + payloadLength;
            case IpProto.ICMP:
                return 20 + 8 + (icmpType == Icmp.DEST_UNREACH || icmpType == Icmp.TIME_EXCEEDED ? 28 : payloadLength);
            default:
                return 20 + payloadLength;
        }
    }

    /**
     * tcpdump-like one-line summary, e.g.
     * {@code 10.244.1.2:40000 > 10.96.0.10:80 tcp [S] seq 1000 len 0}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder(64);
        switch (proto) {
            case IpProto.TCP:
                b.append(Ip4.endpoint(src, sport)).append(" > ").append(Ip4.endpoint(dst, dport))
                        .append(" tcp ").append(TcpFlags.format(tcpFlags))
                        .append(" seq ").append(Integer.toUnsignedString(seq));
                if ((tcpFlags & TcpFlags.ACK) != 0) {
                    b.append(" ack ").append(Integer.toUnsignedString(ack));
                }
                b.append(" len ").append(payloadLength);
                break;
            case IpProto.UDP:
                b.append(Ip4.endpoint(src, sport)).append(" > ").append(Ip4.endpoint(dst, dport))
                        .append(" udp len ").append(payloadLength);
                break;
            case IpProto.ICMP:
                b.append(Ip4.format(src)).append(" > ").append(Ip4.format(dst)).append(" icmp ")
                        .append(Icmp.describe(icmpType, icmpCode));
                if (icmpType == Icmp.DEST_UNREACH || icmpType == Icmp.TIME_EXCEEDED) {
                    b.append(" for ").append(IpProto.name(innerProto)).append(' ')
                            .append(Ip4.endpoint(innerSrc, innerSport)).append(" > ")
                            .append(Ip4.endpoint(innerDst, innerDport));
                }
                break;
            default:
                b.append(Ip4.format(src)).append(" > ").append(Ip4.format(dst)).append(' ').append(IpProto.name(proto));
        }
        return b.toString();
    }

    /** Arrival at the far end of a link: {@link #inDev} receives the packet. */
    @Override
    public void run() {
        inDev.namespace().receiveFromLink(this, inDev);
    }

    @Override
    public String toString() {
        return describe();
    }
}
