package io.svclab.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small pcapng reader for tests, written from the format's description (draft-ietf-opsawg-pcapng)
 * independently of {@link PcapWriter}: blocks, interfaces with their names, link types and time
 * resolution, and packets with their interface, timestamp and bytes. Anything malformed throws.
 */
final class Pcapng {

    record Interface(int linkType, String name, int tsresol) {
    }

    record Frame(int iface, long timestamp, byte[] data) {
        int u8(int o) {
            return data[o] & 0xff;
        }

        int u16(int o) {
            return (u8(o) << 8) | u8(o + 1);
        }

        long u32(int o) {
            return ((long) u16(o) << 16) | u16(o + 2);
        }
    }

    final String application;
    final List<Interface> interfaces = new ArrayList<>();
    final List<Frame> frames = new ArrayList<>();

    Pcapng(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String app = null;
        if (b.remaining() < 28 || b.getInt(0) != 0x0A0D0D0A || b.getInt(8) != 0x1A2B3C4D) {
            throw new IllegalStateException("not a little-endian pcapng section");
        }
        while (b.hasRemaining()) {
            int start = b.position();
            int type = b.getInt();
            int len = b.getInt();
            if (len < 12 || len % 4 != 0 || start + len > b.limit() || b.getInt(start + len - 4) != len) {
                throw new IllegalStateException("bad block length " + len + " at " + start);
            }
            int end = start + len - 4;
            switch (type) {
                case 0x0A0D0D0A -> {
                    b.getInt();
                    if (b.getShort() != 1 || b.getShort() != 0) {
                        throw new IllegalStateException("version");
                    }
                    b.getLong();
                    for (Object[] opt : options(b, end)) {
                        if ((int) opt[0] == 4) {
                            app = new String((byte[]) opt[1], StandardCharsets.UTF_8);
                        }
                    }
                }
                case 1 -> {
                    int link = b.getShort() & 0xffff;
                    b.getShort();
                    b.getInt();
                    String name = null;
                    int res = 6;
                    for (Object[] opt : options(b, end)) {
                        if ((int) opt[0] == 2) {
                            name = new String((byte[]) opt[1], StandardCharsets.UTF_8);
                        } else if ((int) opt[0] == 9) {
                            res = ((byte[]) opt[1])[0];
                        }
                    }
                    interfaces.add(new Interface(link, name, res));
                }
                case 6 -> {
                    int iface = b.getInt();
                    long ts = ((long) b.getInt() << 32) | (b.getInt() & 0xffffffffL);
                    int cap = b.getInt();
                    int orig = b.getInt();
                    if (cap != orig || iface >= interfaces.size()) {
                        throw new IllegalStateException("frame " + frames.size() + ": cap " + cap + " orig " + orig);
                    }
                    byte[] data = new byte[cap];
                    b.get(data);
                    frames.add(new Frame(iface, ts, data));
                }
                default -> throw new IllegalStateException("unexpected block type " + type);
            }
            b.position(start + len);
        }
        application = app;
    }

    private static List<Object[]> options(ByteBuffer b, int end) {
        List<Object[]> out = new ArrayList<>();
        while (b.position() < end) {
            int code = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            if (code == 0) {
                break;
            }
            byte[] v = new byte[len];
            b.get(v);
            b.position(b.position() + ((4 - len % 4) % 4));
            out.add(new Object[] {code, v});
        }
        return out;
    }

    String name(Frame f) {
        return interfaces.get(f.iface()).name();
    }

    /** RFC 1071 sum of a byte range, folded: 0xffff when a range holding its checksum is intact. */
    static int onesSum(byte[] d, int o, int len, long start) {
        long sum = start;
        for (int i = 0; i < len; i += 2) {
            int hi = d[o + i] & 0xff;
            int lo = i + 1 < len ? d[o + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while (sum > 0xffff) {
            sum = (sum >> 16) + (sum & 0xffff);
        }
        return (int) sum;
    }

    /** Checks the IPv4 header checksum and the TCP/UDP/ICMP checksum of an Ethernet frame. */
    static boolean checksumsValid(Frame f) {
        byte[] d = f.data();
        if (onesSum(d, 14, 20, 0) != 0xffff) {
            return false;
        }
        int total = f.u16(16);
        int proto = f.u8(23);
        int l4 = 34;
        int len = total - 20;
        if (proto == 1) {
            return onesSum(d, l4, len, 0) == 0xffff;
        }
        long pseudo = f.u16(26) + f.u16(28) + f.u16(30) + f.u16(32) + proto + len;
        return onesSum(d, l4, len, pseudo) == 0xffff;
    }
}
