package io.svclab.net;

/** TCP header flag bits, as on the wire. */
public final class TcpFlags {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private TcpFlags() {
    }

    /** tcpdump's notation: {@code [S]}, {@code [S.]}, {@code [F.]}, {@code [R]}, {@code [.]}. */
    public static String format(int flags) {
        StringBuilder b = new StringBuilder(6).append('[');
        if ((flags & SYN) != 0) {
            b.append('S');
        }
        if ((flags & FIN) != 0) {
            b.append('F');
        }
        if ((flags & RST) != 0) {
            b.append('R');
        }
        if ((flags & PSH) != 0) {
            b.append('P');
        }
        if ((flags & ACK) != 0) {
            b.append('.');
        }
        return b.append(']').toString();
    }
}
