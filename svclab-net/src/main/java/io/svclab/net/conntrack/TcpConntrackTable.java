package io.svclab.net.conntrack;

/**
 * The TCP conntrack state machine as data: {@code tcp_conntracks[dir][index][old_state]} of
 * net/netfilter/nf_conntrack_proto_tcp.c, with the kernel's state numbering
 * ({@code enum tcp_conntrack}), flag indexes ({@code get_conntrack_index}) and names
 * ({@code tcp_conntrack_names[]}).
 */
public final class TcpConntrackTable {

    /** State NONE: initial. */
    public static final int NONE = 0;
    /** SYN seen in the original direction. */
    public static final int SYN_SENT = 1;
    /** SYN/ACK seen. */
    public static final int SYN_RECV = 2;
    /** ACK after SYN/ACK: three-way handshake complete. */
    public static final int ESTABLISHED = 3;
    /** A FIN seen (either direction). */
    public static final int FIN_WAIT = 4;
    /** ACK seen after the FIN. */
    public static final int CLOSE_WAIT = 5;
    /** A FIN seen after a FIN. */
    public static final int LAST_ACK = 6;
    /** Last ACK seen. */
    public static final int TIME_WAIT = 7;
    /** RST seen. */
    public static final int CLOSE = 8;
    /** SYN from the reply direction during SYN_SENT (simultaneous open). */
    public static final int SYN_SENT2 = 9;
    /** Number of states ({@code TCP_CONNTRACK_MAX}); also the invalid marker sIV. */
    public static final int MAX = 10;
    /** Invalid: packet accepted without a conntrack (sIV = TCP_CONNTRACK_MAX). */
    public static final int IV = MAX;
    /** Ignore: packet accepted without state or timeout change (sIG = TCP_CONNTRACK_IGNORE). */
    public static final int IG = 11;
    /** Timeout slot RETRANS ({@code TCP_CONNTRACK_RETRANS}). */
    public static final int RETRANS = 12;
    /** Timeout slot UNACK ({@code TCP_CONNTRACK_UNACK}). */
    public static final int UNACK = 13;

    /** Flag index of a SYN. */
    public static final int SYN_SET = 0;
    /** Flag index of a SYN+ACK. */
    public static final int SYNACK_SET = 1;
    /** Flag index of a FIN (with or without ACK). */
    public static final int FIN_SET = 2;
    /** Flag index of a bare ACK. */
    public static final int ACK_SET = 3;
    /** Flag index of an RST (beats SYN). */
    public static final int RST_SET = 4;
    /** Flag index of a segment without SYN, FIN, ACK or RST. */
    public static final int NONE_SET = 5;

    /** Direction index: original. */
    public static final int ORIGINAL = 0;
    /** Direction index: reply. */
    public static final int REPLY = 1;

    private static final String[] NAMES = {
        "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
        "CLOSE", "SYN_SENT2",
    };

    private static final int sNO = NONE;
    private static final int sSS = SYN_SENT;
    private static final int sSR = SYN_RECV;
    private static final int sES = ESTABLISHED;
    private static final int sFW = FIN_WAIT;
    private static final int sCW = CLOSE_WAIT;
    private static final int sLA = LAST_ACK;
    private static final int sTW = TIME_WAIT;
    private static final int sCL = CLOSE;
    private static final int sS2 = SYN_SENT2;
    private static final int sIV = IV;
    private static final int sIG = IG;

    /**
     * {@code tcp_conntracks[2][6][TCP_CONNTRACK_MAX]}; columns are the old state in the order
     * sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2.
     */
    private static final int[][][] TABLE = {
        { // ORIGINAL
            /* syn:
             *  sNO -> sSS  Initialize a new connection
             *  sSS -> sSS  Retransmitted SYN
             *  sSR -> sIG  Late retransmitted SYN? (or a reused port: ignored)
             *  sES -> sIG  Error: SYNs in window outside the SYN_* states are accepted but ignored
             *  sFW -> sIG, sCW -> sIG, sLA -> sIG  as sES
             *  sTW -> sSS  Reopened connection (RFC 1122)
             *  sCL -> sSS  Reopened connection after RST
             *  sS2 -> sS2  Retransmitted SYN in simultaneous open */
            /*            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
            /* syn    */ {sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2},
            /* synack:
             *  sNO -> sIV  Too late and no reason to do anything
             *  sSS -> sIV  Client can't send SYN and then SYN/ACK
             *  sSR -> sSR  SYN/ACK sent to SYN2 in simultaneous open
             *  sES..sCL -> sIV  Too late and no reason to do anything
             *  sS2 -> sSR  SYN/ACK sent to SYN2 in simultaneous open */
            /* synack */ {sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR},
            /* fin:
             *  sNO -> sIV  Too late and no reason to do anything...
             *  sSS -> sIV  Client might not send FIN in this state: we enforce waiting for a SYN/ACK reply first
             *  sSR -> sFW  Close started
             *  sES -> sFW
             *  sFW -> sLA  FIN seen in both directions, waiting for the last ACK (a retransmitted FIN too)
             *  sCW -> sLA
             *  sLA -> sLA  Retransmitted FIN. Remain in the same state.
             *  sTW -> sTW
             *  sCL -> sCL
             *  sS2 -> sIV */
            /* fin    */ {sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV},
            /* ack:
             *  sNO -> sES  Assumed (mid-stream pickup)
             *  sSS -> sIV  ACK is invalid: we haven't seen a SYN/ACK yet
             *  sSR -> sES  Established state is reached
             *  sES -> sES  :-)
             *  sFW -> sCW  Normal close request answered by ACK
             *  sCW -> sCW
             *  sLA -> sTW  Last ACK detected (RFC5961 challenged)
             *  sTW -> sTW  Retransmitted last ACK. Remain in the same state.
             *  sCL -> sCL
             *  sS2 -> sIV */
            /* ack    */ {sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV},
            /* rst:
             *  sNO -> sIV  no connection to reset
             *  sSS..sS2 -> sCL  reset */
            /* rst    */ {sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL},
            /* none:  every state -> sIV  a segment without SYN, FIN, ACK or RST is invalid */
            /* none   */ {sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV},
        },
        { // REPLY
            /* syn:
             *  sNO -> sIV  Never reached.
             *  sSS -> sS2  Simultaneous open
             *  sSR -> sIV  Simultaneous open, not supported
             *  sES..sLA -> sIV  Server may not initiate a connection
             *  sTW -> sSS  Reopened connection, but server may not do it
             *  sCL -> sIV
             *  sS2 -> sS2  Retransmitted SYN */
            /*            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
            /* syn    */ {sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2},
            /* synack:
             *  sSS -> sSR  Standard open.
             *  sS2 -> sSR  Simultaneous open
             *  sSR -> sIG  Retransmitted SYN/ACK, ignore it.
             *  sES..sCL -> sIG  Late retransmitted SYN/ACK? Ignore it.
             *  sNO -> sIV */
            /* synack */ {sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR},
            /* fin:  as in the original direction (sSS -> sIV: server can't send FIN before SYN/ACK) */
            /* fin    */ {sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV},
            /* ack:
             *  sSS -> sIG  Might be a half-open connection.
             *  sSR -> sSR  Might answer late resent SYN.
             *  sES -> sES, sFW -> sCW, sCW -> sCW, sLA -> sTW, sTW -> sTW, sCL -> sCL  as original
             *  sS2 -> sIG
             *  sNO -> sIV */
            /* ack    */ {sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG},
            /* rst:  sNO -> sIV, every other state -> sCL */
            /* rst    */ {sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL},
            /* none:  every state -> sIV */
            /* none   */ {sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV},
        },
    };

    private TcpConntrackTable() {
    }

    /** {@code tcp_conntracks[dir][index][oldState]}: a state, {@link #IV} or {@link #IG}. */
    public static int next(int dir, int index, int oldState) {
        return TABLE[dir][index][oldState];
    }

    /** The kernel's name of a state (0..9), e.g. {@code TIME_WAIT}; "INVALID"/"IGNORE" for sIV/sIG. */
    public static String name(int state) {
        if (state == IV) {
            return "INVALID";
        }
        if (state == IG) {
            return "IGNORE";
        }
        return NAMES[state];
    }

    /** The state of a name printed by the kernel or conntrack-tools, or -1. */
    public static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code get_conntrack_index}: RST beats SYN; SYN+ACK; SYN; FIN; ACK; none. */
    public static int flagIndex(int tcpFlags) {
        if ((tcpFlags & TcpFlagBits.RST) != 0) {
            return RST_SET;
        }
        if ((tcpFlags & TcpFlagBits.SYN) != 0) {
            return (tcpFlags & TcpFlagBits.ACK) != 0 ? SYNACK_SET : SYN_SET;
        }
        if ((tcpFlags & TcpFlagBits.FIN) != 0) {
            return FIN_SET;
        }
        if ((tcpFlags & TcpFlagBits.ACK) != 0) {
            return ACK_SET;
        }
        return NONE_SET;
    }

    /**
     * {@code tcp_valid_flags[]}: flag combinations accepted by {@code tcp_error}, with ECE, CWR and
     * PSH masked out. Others are "invalid tcp flag combination".
     */
    public static boolean validFlags(int tcpFlags) {
        int f = tcpFlags & ~(TcpFlagBits.PSH | TcpFlagBits.ECE | TcpFlagBits.CWR) & 0xff;
        switch (f) {
            case TcpFlagBits.SYN:
            case TcpFlagBits.SYN | TcpFlagBits.URG:
            case TcpFlagBits.SYN | TcpFlagBits.ACK:
            case TcpFlagBits.RST:
            case TcpFlagBits.RST | TcpFlagBits.ACK:
            case TcpFlagBits.FIN | TcpFlagBits.ACK:
            case TcpFlagBits.FIN | TcpFlagBits.ACK | TcpFlagBits.URG:
            case TcpFlagBits.ACK:
            case TcpFlagBits.ACK | TcpFlagBits.URG:
                return true;
            default:
                return false;
        }
    }

    /** TCP header flag bits as on the wire, including those {@code io.svclab.net.TcpFlags} omits. */
    static final class TcpFlagBits {
        static final int FIN = 0x01;
        static final int SYN = 0x02;
        static final int RST = 0x04;
        static final int PSH = 0x08;
        static final int ACK = 0x10;
        static final int URG = 0x20;
        static final int ECE = 0x40;
        static final int CWR = 0x80;

        private TcpFlagBits() {
        }
    }
}
