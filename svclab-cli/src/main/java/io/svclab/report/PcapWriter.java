package io.svclab.report;

import io.svclab.net.Icmp;
import io.svclab.net.IpProto;
import io.svclab.net.NetInterface;
import io.svclab.net.Packet;
import io.svclab.net.PacketTap;
import io.svclab.net.TcpFlags;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the frames of a run as a pcapng file that Wireshark and tshark read: one Interface
 * Description Block per capture point (a sending device, named {@code namespace/device}, e.g.
 * {@code node-1/veth-backend-0}), link type Ethernet, nanosecond timestamps ({@code if_tsresol=9})
 * taken from the simulated clock (0 = the start of the run, shown as 1970-01-01 00:00:00), and one
 * Enhanced Packet Block per frame as the sending device put it on the link. A client's SYN to a
 * ClusterIP is therefore seen twice: before NAT on the client pod's device and after NAT on the
 * node's device towards the backend.
 *
 * <p>Headers are built from the modelled fields: IPv4 (total length, TTL as decremented by
 * forwarding, protocol, addresses, header checksum), TCP (ports, sequence and acknowledgement
 * numbers, flags, window, the timestamp option when the model carries one, checksum over the
 * pseudo-header), UDP (length, checksum), ICMP (type, code, the quoted IPv4 header and first 8
 * bytes of the offending packet, checksum). Fields the model does not carry take fixed
 * kernel-like values: TOS 0; DF set on TCP and UDP, clear on ICMP; IP id as the packet carries it
 * (0: Linux sends id 0 on DF packets of unconnected sockets); urgent pointer 0; payload bytes zero.
 * MAC addresses are {@code 02:00:} followed by the model's 32-bit link-layer number.
 *
 * <p>Each frame is serialized into one reused buffer during the {@link #transmitted} call
 * (packets are pooled), so capturing allocates nothing per packet once every capture point has
 * been described. ARP frames are not captured (the model does not count or build them).
 */
public final class PcapWriter implements PacketTap, AutoCloseable {

    /** Link type Ethernet (LINKTYPE_ETHERNET). */
    public static final int LINKTYPE_ETHERNET = 1;
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int ETH_HEADER = 14;

    private final OutputStream out;
    private final byte[] frame = new byte[ETH_HEADER + 65535];
    private final byte[] block = new byte[frame.length + 64];
    private final Object2IntOpenHashMap<NetInterface> ids = new Object2IntOpenHashMap<>();
    private long frames;

    /**
     * Starts a capture: writes the Section Header Block.
     *
     * @param out where the file goes (buffered by the caller)
     * @param application the {@code shb_userappl} text, e.g. {@code svclab 0.1.0}
     */
    public PcapWriter(OutputStream out, String application) {
        this.out = out;
        ids.defaultReturnValue(-1);
        byte[] app = application.getBytes(StandardCharsets.UTF_8);
        int len = 24 + option(app.length) + 4 + 4;
        int o = 0;
        o = le32(block, o, SHB);
        o = le32(block, o, len);
        o = le32(block, o, 0x1A2B3C4D);
        o = le16(block, o, 1);
        o = le16(block, o, 0);
        o = le32(block, o, -1); // section length unknown
        o = le32(block, o, -1);
        o = option(block, o, 4, app); // shb_userappl
        o = le32(block, o, 0); // opt_endofopt
        o = le32(block, o, len);
        write(o);
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    @Override
    public void transmitted(long timeNs, NetInterface from, int dstMac, Packet p) {
        int id = ids.getInt(from);
        if (id < 0) {
            id = ids.size();
            ids.put(from, id);
            describe(from);
        }
        int n = ethernet(frame, from.mac(), dstMac, p);
        int padded = (n + 3) & ~3;
        int len = 28 + padded + 4;
        int o = 0;
        o = le32(block, o, EPB);
        o = le32(block, o, len);
        o = le32(block, o, id);
        o = le32(block, o, (int) (timeNs >>> 32));
        o = le32(block, o, (int) timeNs);
        o = le32(block, o, n);
        o = le32(block, o, n);
        System.arraycopy(frame, 0, block, o, n);
        o += n;
        while (o % 4 != 0) {
            block[o++] = 0;
        }
        o = le32(block, o, len);
        write(o);
        frames++;
    }

    /** An Interface Description Block for a device: Ethernet, name, nanosecond resolution. */
    private void describe(NetInterface dev) {
        byte[] name = dev.toString().getBytes(StandardCharsets.UTF_8);
        int len = 16 + option(name.length) + option(1) + 4 + 4;
        int o = 0;
        o = le32(block, o, IDB);
        o = le32(block, o, len);
        o = le16(block, o, LINKTYPE_ETHERNET);
        o = le16(block, o, 0);
        o = le32(block, o, frame.length); // snaplen: every frame whole
        o = option(block, o, 2, name); // if_name
        o = option(block, o, 9, new byte[] {9}); // if_tsresol: 10^-9 s
        o = le32(block, o, 0);
        o = le32(block, o, len);
        write(o);
    }

    /**
     * Builds the Ethernet frame of a packet into {@code b}.
     *
     * @return the frame's length
     */
    static int ethernet(byte[] b, int srcMac, int dstMac, Packet p) {
        mac(b, 0, dstMac);
        mac(b, 6, srcMac);
        be16(b, 12, 0x0800);
        return ETH_HEADER + ipv4(b, ETH_HEADER, p);
    }

    private static void mac(byte[] b, int o, int mac) {
        b[o] = 0x02;
        b[o + 1] = 0;
        be32(b, o + 2, mac);
    }

    /** Builds the IPv4 packet at {@code o}; returns its length. */
    static int ipv4(byte[] b, int o, Packet p) {
        int total = Math.min(p.ipLength(), 65535); // the model sends no larger segment; never overrun
        java.util.Arrays.fill(b, o, o + total, (byte) 0);
        boolean df = p.proto == IpProto.TCP || p.proto == IpProto.UDP;
        ipHeader(b, o, total, p.ipId, df, p.ttl, p.proto, p.src, p.dst);
        int l4 = o + 20;
        int l4len = total - 20;
        switch (p.proto) {
            case IpProto.TCP:
                tcp(b, l4, p);
                be16(b, l4 + 16, transportChecksum(b, l4, l4len, p.src, p.dst, IpProto.TCP));
                break;
            case IpProto.UDP:
                be16(b, l4, p.sport);
                be16(b, l4 + 2, p.dport);
                be16(b, l4 + 4, l4len);
                int c = transportChecksum(b, l4, l4len, p.src, p.dst, IpProto.UDP);
                be16(b, l4 + 6, c == 0 ? 0xffff : c);
                break;
            case IpProto.ICMP:
                b[l4] = (byte) p.icmpType;
                b[l4 + 1] = (byte) p.icmpCode;
                if (p.icmpType == Icmp.DEST_UNREACH || p.icmpType == Icmp.TIME_EXCEEDED) {
                    quoted(b, l4 + 8, p);
                }
                be16(b, l4 + 2, checksum(b, l4, l4len, 0));
                break;
            default:
                break;
        }
        return total;
    }

    private static void ipHeader(byte[] b, int o, int total, int id, boolean df, int ttl, int proto, int src, int dst) {
        b[o] = 0x45;
        b[o + 1] = 0;
        be16(b, o + 2, total);
        be16(b, o + 4, id);
        be16(b, o + 6, df ? 0x4000 : 0);
        b[o + 8] = (byte) ttl;
        b[o + 9] = (byte) proto;
        be16(b, o + 10, 0);
        be32(b, o + 12, src);
        be32(b, o + 16, dst);
        be16(b, o + 10, checksum(b, o, 20, 0));
    }

    private static void tcp(byte[] b, int o, Packet p) {
        boolean ts = p.tsVal != 0 || p.tsEcr != 0;
        be16(b, o, p.sport);
        be16(b, o + 2, p.dport);
        be32(b, o + 4, p.seq);
        be32(b, o + 8, (p.tcpFlags & TcpFlags.ACK) != 0 ? p.ack : 0);
        b[o + 12] = (byte) ((ts ? 8 : 5) << 4);
        b[o + 13] = (byte) p.tcpFlags;
        be16(b, o + 14, p.window);
        be16(b, o + 16, 0);
        be16(b, o + 18, 0);
        if (ts) {
            b[o + 20] = 1; // NOP
            b[o + 21] = 1; // NOP
            b[o + 22] = 8; // kind: timestamps
            b[o + 23] = 10;
            be32(b, o + 24, p.tsVal);
            be32(b, o + 28, p.tsEcr);
        }
    }

    /** The offending packet's IPv4 header and first 8 transport bytes, as icmp_send quotes them. */
    private static void quoted(byte[] b, int o, Packet p) {
        int innerLen = p.innerProto == IpProto.TCP ? 40 : p.innerProto == IpProto.UDP ? 28 : 28;
        boolean df = p.innerProto == IpProto.TCP || p.innerProto == IpProto.UDP;
        ipHeader(b, o, innerLen, 0, df, 64, p.innerProto, p.innerSrc, p.innerDst);
        be16(b, o + 20, p.innerSport);
        be16(b, o + 22, p.innerDport);
        if (p.innerProto == IpProto.TCP) {
            be32(b, o + 24, p.innerSeq);
        } else if (p.innerProto == IpProto.UDP) {
            be16(b, o + 24, 8);
        }
    }

    /** The TCP/UDP checksum: the segment plus the IPv4 pseudo-header. */
    static int transportChecksum(byte[] b, int o, int len, int src, int dst, int proto) {
        long pseudo = ((src >>> 16) & 0xffff) + (src & 0xffff) + ((dst >>> 16) & 0xffff) + (dst & 0xffff) + proto + len;
        return checksum(b, o, len, pseudo);
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code o}, starting from {@code sum}. */
    static int checksum(byte[] b, int o, int len, long sum) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[o + i] & 0xff) << 8) | (b[o + i + 1] & 0xff);
        }
        if (i < len) {
            sum += (b[o + i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static int option(int len) {
        return 4 + ((len + 3) & ~3);
    }

    private static int option(byte[] b, int o, int code, byte[] value) {
        o = le16(b, o, code);
        o = le16(b, o, value.length);
        System.arraycopy(value, 0, b, o, value.length);
        o += value.length;
        while (o % 4 != 0) {
            b[o++] = 0;
        }
        return o;
    }

    private static int le32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
        return o + 4;
    }

    private static int le16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        return o + 2;
    }

    private static void be32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    private static void be16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    private void write(int n) {
        try {
            out.write(block, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
