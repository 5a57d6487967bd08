package io.svclab.net.ipvs;

import io.svclab.net.TcpFlags;

import java.util.List;

/**
 * The IPVS TCP state machine as data: states and default timeouts ({@code tcp_timeouts[]},
 * {@code tcp_state_name_table[]}), the normal transition table ({@code tcp_states[]}) and the
 * defense table ({@code tcp_states_dos[]}) of {@code net/netfilter/ipvs/ip_vs_proto_tcp.c}, and the
 * event index of a segment ({@code tcp_state_idx}). {@link #next} is what {@code set_tcp_state}
 * looks up.
 *
 * <p>Each row is one (direction, event) pair; columns are the current state in index order
 * NO ES SS SR FW TW CL CW LA LI SA. Rows carry a one-line reason.
 */
public final class IpvsTcpStates {

    /** {@code IP_VS_TCP_S_*} indices. */
    public static final int NONE = 0;
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT = 4;
    public static final int TIME_WAIT = 5;
    public static final int CLOSE = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int LAST_ACK = 8;
    public static final int LISTEN = 9;
    public static final int SYNACK = 10;
    /** Number of TCP states. */
    public static final int COUNT = 11;

    /** Names as {@code /proc/net/ip_vs_conn} and {@code ipvsadm -Lnc} print them. */
    private static final String[] NAMES = {
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
        "LAST_ACK", "LISTEN", "SYNACK"};

    /** Two-letter abbreviations used in the tables. */
    private static final String[] ABBR = {"NO", "ES", "SS", "SR", "FW", "TW", "CL", "CW", "LA", "LI", "SA"};

    /** Default timeouts in seconds ({@code tcp_timeouts[]}). */
    private static final int[] DEFAULT_TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};

    /** Direction offsets ({@code IP_VS_DIR_INPUT}, {@code IP_VS_DIR_OUTPUT}, {@code IP_VS_DIR_INPUT_ONLY}). */
    public static final int DIR_INPUT = 0;
    public static final int DIR_OUTPUT = 1;
    public static final int DIR_INPUT_ONLY = 2;

    /** Event indices ({@code TCP_SYN_IDX} ...); {@link #EVENT_NONE} means "no flag: go to CLOSE". */
    public static final int EVENT_SYN = 0;
    public static final int EVENT_FIN = 1;
    public static final int EVENT_ACK = 2;
    public static final int EVENT_RST = 3;
    public static final int EVENT_NONE = -1;

    /**
     * One row of a transition table.
     *
     * @param dir {@link #DIR_INPUT}, {@link #DIR_OUTPUT} or {@link #DIR_INPUT_ONLY}
     * @param event {@link #EVENT_SYN} .. {@link #EVENT_RST}
     * @param next next state for each current state, by index
     * @param reason why the row looks the way it does
     */
    public record Row(int dir, int event, int[] next, String reason) {
    }

    /** {@code tcp_states[]} (used while {@code secure_tcp} defense is off). */
    public static final List<Row> NORMAL = List.of(
            row(DIR_INPUT, EVENT_SYN, "SR ES ES SR SR SR SR SR SR SR SR",
                    "a client SYN opens (or re-opens) the entry: SYN_RECV; during SYN_SENT/ESTABLISHED it means simultaneous open"),
            row(DIR_INPUT, EVENT_FIN, "CL CW SS TW TW TW CL CW LA LI TW",
                    "client FIN: ESTABLISHED→CLOSE_WAIT, after the server's FIN (FIN_WAIT/SYN_RECV/SYNACK)→TIME_WAIT"),
            row(DIR_INPUT, EVENT_ACK, "ES ES SS ES FW TW CL CW CL LI ES",
                    "client ACK completes the handshake (SYN_RECV/SYNACK/NONE→ESTABLISHED) or the final ACK of LAST_ACK→CLOSE"),
            row(DIR_INPUT, EVENT_RST, "CL CL CL SR CL CL CL CL LA LI SR",
                    "client RST closes; in SYN_RECV/SYNACK it is ignored (could be forged), LAST_ACK kept"),
            row(DIR_OUTPUT, EVENT_SYN, "SS ES SS SR SS SS SS SS SS LI SR",
                    "real-server SYN(-ACK): keeps SYN_RECV; a server-initiated open goes to SYN_SENT"),
            row(DIR_OUTPUT, EVENT_FIN, "TW FW SS TW FW TW CL TW LA LI TW",
                    "server FIN: ESTABLISHED→FIN_WAIT (server closes first), after the client's FIN (CLOSE_WAIT)→TIME_WAIT"),
            row(DIR_OUTPUT, EVENT_ACK, "ES ES SS ES FW TW CL CW LA ES ES",
                    "server ACK: handshake states→ESTABLISHED, closing states unchanged"),
            row(DIR_OUTPUT, EVENT_RST, "CL CL SS CL CL TW CL CL CL CL CL",
                    "server RST closes the entry (TIME_WAIT and SYN_SENT unchanged)"),
            row(DIR_INPUT_ONLY, EVENT_SYN, "SR ES ES SR SR SR SR SR SR SR SR",
                    "DR/TUN (no replies seen): SYN as for INPUT"),
            row(DIR_INPUT_ONLY, EVENT_FIN, "CL FW SS TW FW TW CL CW LA LI TW",
                    "DR/TUN: the client's FIN is the only close the director sees, ESTABLISHED→FIN_WAIT"),
            row(DIR_INPUT_ONLY, EVENT_ACK, "ES ES SS ES FW TW CL CW CL LI ES",
                    "DR/TUN: ACK as for INPUT"),
            row(DIR_INPUT_ONLY, EVENT_RST, "CL CL CL SR CL CL CL CL LA LI CL",
                    "DR/TUN: RST closes, also from SYNACK"));

    /**
     * {@code tcp_states_dos[]} (used while the {@code secure_tcp} defense is active): SYNACK is
     * held until the handshake really completes and a forged ACK does not establish.
     */
    public static final List<Row> DOS = List.of(
            row(DIR_INPUT, EVENT_SYN, "SR ES ES SR SR SR SR SR SR SR SA",
                    "defense: a SYN retransmission does not leave SYNACK"),
            row(DIR_INPUT, EVENT_FIN, "CL CW SS TW TW TW CL CW LA LI SA",
                    "defense: a FIN during the handshake does not leave SYNACK"),
            row(DIR_INPUT, EVENT_ACK, "ES ES SS SR FW TW CL CW CL LI SA",
                    "defense: an ACK alone does not establish from SYN_RECV/SYNACK (possible ACK flood)"),
            row(DIR_INPUT, EVENT_RST, "CL CL CL SR CL CL CL CL LA LI CL",
                    "defense: a client RST closes a SYNACK entry at once"),
            row(DIR_OUTPUT, EVENT_SYN, "SS ES SS SA SS SS SS SS SS LI SR",
                    "defense: the server's SYN-ACK moves SYN_RECV to SYNACK (handshake confirmed by the server)"),
            row(DIR_OUTPUT, EVENT_FIN, "TW FW SS TW FW TW CL TW LA LI TW",
                    "defense: server FIN as in the normal table"),
            row(DIR_OUTPUT, EVENT_ACK, "ES ES SS ES FW TW CL CW LA ES ES",
                    "defense: server ACK as in the normal table"),
            row(DIR_OUTPUT, EVENT_RST, "CL CL SS CL CL TW CL CL CL CL CL",
                    "defense: server RST as in the normal table"),
            row(DIR_INPUT_ONLY, EVENT_SYN, "SA ES ES SR SA SA SA SA SA SA SA",
                    "defense, DR/TUN: a SYN puts closed entries into SYNACK, not SYN_RECV"),
            row(DIR_INPUT_ONLY, EVENT_FIN, "CL FW SS TW FW TW CL CW LA LI TW",
                    "defense, DR/TUN: FIN as in the normal table"),
            row(DIR_INPUT_ONLY, EVENT_ACK, "ES ES SS ES FW TW CL CW CL LI ES",
                    "defense, DR/TUN: ACK as in the normal table"),
            row(DIR_INPUT_ONLY, EVENT_RST, "CL CL CL SR CL CL CL CL LA LI CL",
                    "defense, DR/TUN: RST as in the normal table"));

    private static final int[][] NORMAL_FLAT = flatten(NORMAL);
    private static final int[][] DOS_FLAT = flatten(DOS);

    private IpvsTcpStates() {
    }

    private static Row row(int dir, int event, String cells, String reason) {
        String[] c = cells.trim().split(" +");
        if (c.length != COUNT) {
            throw new IllegalStateException("row needs " + COUNT + " cells: " + cells);
        }
        int[] next = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            next[i] = byAbbreviation(c[i]);
        }
        return new Row(dir, event, next, reason);
    }

    private static int[][] flatten(List<Row> rows) {
        int[][] t = new int[12][];
        for (Row r : rows) {
            t[r.dir() * 4 + r.event()] = r.next();
        }
        return t;
    }

    /** The state index of a two-letter abbreviation ({@code TW}), or -1. */
    public static int byAbbreviation(String abbr) {
        for (int i = 0; i < COUNT; i++) {
            if (ABBR[i].equals(abbr)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown state abbreviation " + abbr);
    }

    /** The state index of a name ({@code TIME_WAIT}), or -1. */
    public static int byName(String name) {
        for (int i = 0; i < COUNT; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code tcp_state_name}. */
    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "ERR!";
    }

    /** Default timeout of a state in seconds. */
    public static int defaultTimeout(int state) {
        return DEFAULT_TIMEOUTS[state];
    }

    /**
     * {@code tcp_state_idx}: RST, else SYN, else FIN, else ACK; a segment with none of them yields
     * {@link #EVENT_NONE} (the entry goes to CLOSE).
     */
    public static int event(int tcpFlags) {
        if ((tcpFlags & TcpFlags.RST) != 0) {
            return EVENT_RST;
        }
        if ((tcpFlags & TcpFlags.SYN) != 0) {
            return EVENT_SYN;
        }
        if ((tcpFlags & TcpFlags.FIN) != 0) {
            return EVENT_FIN;
        }
        if ((tcpFlags & TcpFlags.ACK) != 0) {
            return EVENT_ACK;
        }
        return EVENT_NONE;
    }

    /**
     * The next state ({@code set_tcp_state}): {@code tcp_state_table[dir*4 + event].next_state[state]},
     * CLOSE for a segment without RST/SYN/FIN/ACK.
     */
    public static int next(boolean defense, int dir, int tcpFlags, int state) {
        int ev = event(tcpFlags);
        if (ev == EVENT_NONE) {
            return CLOSE;
        }
        return (defense ? DOS_FLAT : NORMAL_FLAT)[dir * 4 + ev][state];
    }

    /**
     * Whether a state counts in ActiveConn ({@code tcp_state_active}): since v4.8 (be2cef49904b)
     * ESTABLISHED, SYN_SENT, SYN_RECV and SYNACK; before, ESTABLISHED only.
     */
    public static boolean active(int state, boolean preEstablishedActive) {
        if (state == ESTABLISHED) {
            return true;
        }
        return preEstablishedActive && (state == SYN_SENT || state == SYN_RECV || state == SYNACK);
    }
}
