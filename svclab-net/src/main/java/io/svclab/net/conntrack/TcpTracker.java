package io.svclab.net.conntrack;

import static io.svclab.net.conntrack.TcpConntrackTable.ACK_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.CLOSE;
import static io.svclab.net.conntrack.TcpConntrackTable.CLOSE_WAIT;
import static io.svclab.net.conntrack.TcpConntrackTable.ESTABLISHED;
import static io.svclab.net.conntrack.TcpConntrackTable.FIN_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.FIN_WAIT;
import static io.svclab.net.conntrack.TcpConntrackTable.IG;
import static io.svclab.net.conntrack.TcpConntrackTable.IV;
import static io.svclab.net.conntrack.TcpConntrackTable.LAST_ACK;
import static io.svclab.net.conntrack.TcpConntrackTable.NONE;
import static io.svclab.net.conntrack.TcpConntrackTable.NONE_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.RETRANS;
import static io.svclab.net.conntrack.TcpConntrackTable.RST_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.SYNACK_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.SYN_RECV;
import static io.svclab.net.conntrack.TcpConntrackTable.SYN_SENT;
import static io.svclab.net.conntrack.TcpConntrackTable.SYN_SENT2;
import static io.svclab.net.conntrack.TcpConntrackTable.SYN_SET;
import static io.svclab.net.conntrack.TcpConntrackTable.TIME_WAIT;
import static io.svclab.net.conntrack.TcpConntrackTable.UNACK;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;

/**
 * TCP connection tracking: {@code nf_conntrack_tcp_packet}, {@code tcp_new}, {@code tcp_in_window}
 * and {@code nf_tcp_handle_invalid} of net/netfilter/nf_conntrack_proto_tcp.c. TCP options are
 * not modelled (no window scaling, no SACK). Results follow the kernel's return codes.
 */
final class TcpTracker {

    /** Packet accepted with its conntrack ({@code NF_ACCEPT}). */
    static final int ACCEPT = 1;
    /** Packet accepted without a conntrack: INVALID ({@code -NF_ACCEPT}). */
    static final int INVALID = -1;
    /** The old entry was killed: look up again and create a fresh entry ({@code -NF_REPEAT}). */
    static final int REPEAT = -2;
    /** Drop the packet ({@code NF_DROP}). */
    static final int DROP = 0;

    private static final int W_ACCEPT = 0;
    private static final int W_IGNORE = 1;
    private static final int W_INVALID = 2;
    private static final long SEC = 1_000_000_000L;

    private TcpTracker() {
    }

    /** Timeout of a state or of RETRANS/UNACK, ns ({@code tcp_timeouts[]} from the sysctls). */
    static long timeout(Sysctls s, int state) {
        int v;
        switch (state) {
            case SYN_SENT:
            case SYN_SENT2:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_SYN_SENT);
                break;
            case SYN_RECV:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_SYN_RECV);
                break;
            case ESTABLISHED:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED);
                break;
            case FIN_WAIT:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_FIN_WAIT);
                break;
            case CLOSE_WAIT:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT);
                break;
            case LAST_ACK:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_LAST_ACK);
                break;
            case TIME_WAIT:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_TIME_WAIT);
                break;
            case CLOSE:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE);
                break;
            case RETRANS:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_MAX_RETRANS);
                break;
            case UNACK:
                v = s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_UNACKNOWLEDGED);
                break;
            default:
                v = 0;
        }
        return v * SEC;
    }

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** {@code segment_seq_plus_len}: seq + payload + SYN + FIN. */
    static int segmentEnd(Packet p) {
        return p.seq + p.payloadLength + ((p.tcpFlags & TcpFlags.SYN) != 0 ? 1 : 0)
                + ((p.tcpFlags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /** {@code tcp_error}: only the flag combination check (no truncation, checksums are valid). */
    static boolean error(Packet p) {
        return !TcpConntrackTable.validFlags(p.tcpFlags);
    }

    /** {@code tcp_new}: initialises a new (unconfirmed) entry; false means invalid, entry discarded. */
    static boolean newConn(Conn ct, Packet p, Sysctls s) {
        int newState = TcpConntrackTable.next(Conn.DIR_ORIGINAL, TcpConntrackTable.flagIndex(p.tcpFlags), NONE);
        if (newState >= TcpConntrackTable.MAX) {
            return false; // "invalid new"
        }
        reset(ct, 0);
        reset(ct, 1);
        if (newState == SYN_SENT) {
            int end = segmentEnd(p);
            ct.td[Conn.TD_END] = end;
            ct.td[Conn.TD_MAX_WIN] = p.window == 0 ? 1 : p.window & 0xffff;
            ct.td[Conn.TD_MAX_END] = end;
        } else if (s.get(Sysctl.NET_NF_CONNTRACK_TCP_LOOSE) == 0) {
            return false; // don't try to pick up connections
        } else {
            int end = segmentEnd(p);
            ct.td[Conn.TD_END] = end;
            ct.td[Conn.TD_MAX_WIN] = p.window == 0 ? 1 : p.window & 0xffff;
            ct.td[Conn.TD_MAX_END] = end + ct.td[Conn.TD_MAX_WIN];
            // we assume SACK and liberal window checking to handle window scaling
            ct.td[Conn.TD_FLAGS] = Conn.TF_SACK_PERM | Conn.TF_BE_LIBERAL;
            ct.td[Conn.TD_FLAGS + 1] = Conn.TF_SACK_PERM | Conn.TF_BE_LIBERAL;
        }
        ct.lastIndex = NONE_SET;
        ct.tcpState = NONE;
        return true;
    }

    private static void reset(Conn ct, int d) {
        ct.td[Conn.TD_END + d] = 0;
        ct.td[Conn.TD_MAX_END + d] = 0;
        ct.td[Conn.TD_MAX_WIN + d] = 0;
        ct.td[Conn.TD_MAX_ACK + d] = 0;
        ct.td[Conn.TD_SCALE + d] = 0;
        ct.td[Conn.TD_FLAGS + d] = 0;
    }

    /**
     * {@code nf_conntrack_tcp_packet}: returns {@link #ACCEPT}, {@link #INVALID}, {@link #REPEAT}
     * or {@link #DROP}. May refresh, kill or lower the timeout of the entry.
     */
    static int packet(ConntrackTable table, Conn ct, Packet p, int dir, Sysctls s) {
        if (error(p)) {
            return INVALID; // "invalid tcp flag combination"
        }
        if (!ct.confirmed() && !newConn(ct, p, s)) {
            return INVALID;
        }
        int oldState = ct.tcpState;
        int index = TcpConntrackTable.flagIndex(p.tcpFlags);
        int newState = TcpConntrackTable.next(dir, index, oldState);
        boolean skipWindow = false;

        switch (newState) {
            case SYN_SENT:
                if (oldState < TIME_WAIT) {
                    break;
                }
                // RFC 1122: a SYN may reopen a connection that lingers in TIME_WAIT (or CLOSE):
                // only if a side initiated a close with FIN, or the last segment was an RST in
                // this direction.
                if (((ct.td[Conn.TD_FLAGS + dir] | ct.td[Conn.TD_FLAGS + 1 - dir]) & Conn.TF_CLOSE_INIT) != 0
                        || (ct.lastDir == dir && ct.lastIndex == RST_SET)) {
                    CtTrace.reopen(table, ct, p);
                    return table.delete(ct) ? REPEAT : DROP;
                }
                return ignore(ct, p, dir, index, oldState);
            case IG:
                if (index == SYNACK_SET && ct.lastIndex == SYN_SET && ct.lastDir != dir
                        && p.ack == ct.lastEnd) {
                    // b) this SYN/ACK acknowledges a SYN that we earlier ignored as invalid:
                    // the client and the server are in sync, re-sync conntrack to them
                    oldState = SYN_SENT;
                    newState = SYN_RECV;
                    int ld = ct.lastDir;
                    ct.td[Conn.TD_END + ld] = ct.lastEnd;
                    ct.td[Conn.TD_MAX_END + ld] = ct.lastEnd;
                    ct.td[Conn.TD_MAX_WIN + ld] = ct.lastWin == 0 ? 1 : ct.lastWin;
                    ct.td[Conn.TD_SCALE + ld] = 0;
                    ct.lastFlags &= ~Conn.TF_EXP_CHALLENGE_ACK;
                    ct.td[Conn.TD_FLAGS + ld] = ct.lastFlags;
                    reset(ct, dir);
                    break;
                }
                return ignore(ct, p, dir, index, oldState);
            case IV:
                return INVALID; // "invalid state"
            case TIME_WAIT:
                // RFC 5961 challenge ACK answering a SYN in LAST_ACK is not a closing ACK
                if (oldState == LAST_ACK && index == ACK_SET && ct.lastDir != dir && ct.lastIndex == SYN_SET
                        && (ct.lastFlags & Conn.TF_EXP_CHALLENGE_ACK) != 0) {
                    ct.lastFlags &= ~Conn.TF_EXP_CHALLENGE_ACK;
                    return ACCEPT; // "challenge-ack ignored": don't change state
                }
                break;
            case SYN_SENT2:
                // the table is not smart enough to handle simultaneous open
                ct.lastFlags |= Conn.TF_SIMULTANEOUS_OPEN;
                break;
            case SYN_RECV:
                if (dir == Conn.DIR_REPLY && index == ACK_SET && (ct.lastFlags & Conn.TF_SIMULTANEOUS_OPEN) != 0) {
                    newState = ESTABLISHED;
                }
                break;
            case CLOSE:
                if (index != RST_SET) {
                    break;
                }
                // closing: the tuple may already be reused, window data are outdated; accept the RST
                if (oldState >= FIN_WAIT && oldState <= CLOSE) {
                    skipWindow = true;
                    break;
                }
                if ((ct.td[Conn.TD_FLAGS + 1 - dir] & Conn.TF_MAXACK_SET) != 0 && ct.lastIndex != SYN_SET) {
                    int seq = p.seq;
                    boolean established = ct.tcpState == ESTABLISHED;
                    // seq 0 in a not yet established connection: answer to a SYN we let through
                    if (seq == 0 && !established) {
                        break;
                    }
                    if (before(seq, ct.td[Conn.TD_MAX_ACK + 1 - dir])
                            && s.get(Sysctl.NET_NF_CONNTRACK_TCP_IGNORE_INVALID_RST) == 0) {
                        return INVALID; // "invalid rst"
                    }
                    if (!established || seq == ct.td[Conn.TD_MAX_ACK + 1 - dir]) {
                        break;
                    }
                    // RST part of an ACK/RST train
                    if (ct.lastIndex == ACK_SET && ct.lastDir == dir && seq == ct.lastEnd) {
                        break;
                    }
                    // in-window but not exact: keep the state, wait for the challenge ACK
                    newState = oldState;
                    break;
                }
                if (ct.lastIndex == SYN_SET && ct.lastDir != dir && (p.tcpFlags & TcpFlags.ACK) != 0
                        && p.ack == ct.lastEnd) {
                    // a) RST answering the SYN we let through above with the expected ack
                    skipWindow = true;
                }
                break;
            default:
                break;
        }

        if (!skipWindow) {
            int res = inWindow(ct, p, dir, index, s);
            if (res == W_IGNORE) {
                return ACCEPT;
            }
            if (res == W_INVALID) {
                handleInvalid(table, ct, dir, index, s);
                return INVALID;
            }
        }

        // from now on we have got in-window packets
        ct.lastIndex = index;
        ct.lastDir = dir;
        ct.tcpState = newState;
        if (oldState != newState) {
            ct.eventPending = true; // IPCT_PROTOINFO
        }
        if (oldState != newState && newState == FIN_WAIT) {
            ct.td[Conn.TD_FLAGS + dir] |= Conn.TF_CLOSE_INIT;
        }

        long stateTimeout = timeout(s, newState);
        long timeout;
        if (ct.retrans >= s.get(Sysctl.NET_NF_CONNTRACK_TCP_MAX_RETRANS) && stateTimeout > timeout(s, RETRANS)) {
            timeout = timeout(s, RETRANS);
        } else if (index == RST_SET && newState == ESTABLISHED) {
            timeout = Math.min(stateTimeout, timeout(s, UNACK));
        } else if (((ct.td[Conn.TD_FLAGS] | ct.td[Conn.TD_FLAGS + 1]) & Conn.TF_DATA_UNACKNOWLEDGED) != 0
                && stateTimeout > timeout(s, UNACK)) {
            timeout = timeout(s, UNACK);
        } else if (ct.lastWin == 0 && stateTimeout > timeout(s, RETRANS)) {
            timeout = timeout(s, RETRANS);
        } else {
            timeout = stateTimeout;
        }

        if (!ct.has(CtStatus.SEEN_REPLY)) {
            // if the only reply is a RST, there is no connection: delete the entry at once
            if ((p.tcpFlags & TcpFlags.RST) != 0) {
                Conntrack.account(ct, p, dir);
                if (ct.confirmed()) {
                    table.delete(ct);
                } else {
                    ct.status |= CtStatus.DYING;
                }
                return ACCEPT;
            }
            if (index == SYN_SET && oldState == SYN_SENT
                    && s.profile().has(KernelFeature.CT_TCP_SYN_SENT_NO_RENEW)) {
                // do not renew timeout on SYN retransmit: port reuse could keep the entry alive
                return ACCEPT;
            }
            // ESTABLISHED without SEEN_REPLY (mid-stream pickup): avoid the large timeout
            if (newState == ESTABLISHED && timeout > timeout(s, UNACK)) {
                timeout = timeout(s, UNACK);
            }
        } else if (!ct.has(CtStatus.ASSURED) && (oldState == SYN_RECV || oldState == ESTABLISHED)
                && newState == ESTABLISHED) {
            // valid ACK in ESTABLISHED after SYN_RECV, or a valid answer for a picked up connection
            ct.status |= CtStatus.ASSURED;
            ct.eventPending = true; // IPCT_ASSURED
        }
        Conntrack.account(ct, p, dir);
        table.refresh(ct, timeout);
        return ACCEPT;
    }

    /** The IGNORE branch: remember the segment, accept without state or timeout change. */
    private static int ignore(Conn ct, Packet p, int dir, int index, int oldState) {
        ct.lastIndex = index;
        ct.lastDir = dir;
        ct.lastSeq = p.seq;
        ct.lastEnd = segmentEnd(p);
        ct.lastWin = p.window & 0xffff;
        // a) a SYN in ORIGINAL: client and server may be in sync while we are not; annotate and
        // let it through. A SYN in LAST_ACK arms the RFC 5961 challenge-ACK exception.
        if (index == SYN_SET && dir == Conn.DIR_ORIGINAL) {
            ct.lastFlags = 0;
            if (oldState == LAST_ACK) {
                ct.lastFlags |= Conn.TF_EXP_CHALLENGE_ACK;
            }
        }
        return ACCEPT; // "invalid packet ignored in state ..."
    }

    /** {@code nf_tcp_handle_invalid}: lower the timeout of an ASSURED entry on a FIN/RST exchange. */
    private static void handleInvalid(ConntrackTable table, Conn ct, int dir, int index, Sysctls s) {
        if (!ct.has(CtStatus.ASSURED) || ct.has(CtStatus.FIXED_TIMEOUT)) {
            return;
        }
        if (ct.lastDir != dir && (ct.lastIndex == FIN_SET || ct.lastIndex == RST_SET)) {
            if (!ct.confirmed()) {
                return;
            }
            long now = ct.sim().now();
            long expires = ct.expiry - now;
            if (expires < 120 * SEC) {
                return;
            }
            long unack = timeout(s, UNACK);
            if (expires > unack) {
                table.setExpiry(ct, now + unack); // "lowered timeout to UNACK"
            }
        } else {
            ct.lastDir = dir;
            ct.lastIndex = index;
        }
    }

    private static int maxAckWindow(Conn ct, int d) {
        return ct.td[Conn.TD_MAX_WIN + d] > 66000 ? ct.td[Conn.TD_MAX_WIN + d] : 66000;
    }

    /** {@code tcp_in_window}: W_ACCEPT, W_IGNORE or W_INVALID, updating the window data on accept. */
    static int inWindow(Conn ct, Packet p, int dir, int index, Sysctls s) {
        int snd = dir;
        int rcv = 1 - dir;
        int seq = p.seq;
        int ack = p.ack;
        int sack = ack;
        int winRaw = p.window & 0xffff;
        int win = winRaw;
        int end = segmentEnd(p);
        boolean syn = (p.tcpFlags & TcpFlags.SYN) != 0;
        boolean hasAck = (p.tcpFlags & TcpFlags.ACK) != 0;
        boolean rst = (p.tcpFlags & TcpFlags.RST) != 0;
        boolean liberal = (ct.td[Conn.TD_FLAGS + snd] & Conn.TF_BE_LIBERAL) != 0
                || s.get(Sysctl.NET_NF_CONNTRACK_TCP_BE_LIBERAL) != 0;

        if (ct.td[Conn.TD_MAX_WIN + snd] == 0) {
            if (syn) {
                // SYN/ACK in reply to a SYN, or a SYN from the reply direction in simultaneous open
                ct.td[Conn.TD_END + snd] = end;
                ct.td[Conn.TD_MAX_END + snd] = end;
                ct.td[Conn.TD_MAX_WIN + snd] = win == 0 ? 1 : win;
                ct.td[Conn.TD_SCALE + snd] = 0;
                ct.td[Conn.TD_SCALE + rcv] = 0;
                if (!hasAck) {
                    return W_ACCEPT; // simultaneous open
                }
            } else {
                // in the middle of a connection: use the data from the packet
                ct.td[Conn.TD_END + snd] = end;
                int swin = win << ct.td[Conn.TD_SCALE + snd];
                ct.td[Conn.TD_MAX_WIN + snd] = swin == 0 ? 1 : swin;
                ct.td[Conn.TD_MAX_END + snd] = end + ct.td[Conn.TD_MAX_WIN + snd];
                if (ct.td[Conn.TD_MAX_WIN + rcv] == 0) {
                    ct.td[Conn.TD_END + rcv] = sack;
                    ct.td[Conn.TD_MAX_END + rcv] = sack;
                } else if (sack == ct.td[Conn.TD_END + rcv] + 1) {
                    ct.td[Conn.TD_END + rcv]++; // likely a reply to a keepalive
                }
            }
        } else if (syn && after(end, ct.td[Conn.TD_END + snd])
                && (ct.tcpState == SYN_SENT || ct.tcpState == SYN_RECV)) {
            // RFC 793: a reinitialised TCP uses higher sequence numbers: re-init this direction
            ct.td[Conn.TD_END + snd] = end;
            ct.td[Conn.TD_MAX_END + snd] = end;
            ct.td[Conn.TD_MAX_WIN + snd] = win == 0 ? 1 : win;
            ct.td[Conn.TD_SCALE + snd] = 0;
            ct.td[Conn.TD_SCALE + rcv] = 0;
            if (dir == Conn.DIR_REPLY && !hasAck) {
                return W_ACCEPT;
            }
        }

        if (!hasAck) {
            ack = ct.td[Conn.TD_END + rcv]; // no ACK: pretend it was set and OK
            sack = ack;
        } else if (rst && ack == 0) {
            ack = ct.td[Conn.TD_END + rcv]; // broken stacks setting ACK with zero ack in RSTs
            sack = ack;
        }
        if (rst && seq == 0 && ct.tcpState == SYN_SENT) {
            seq = ct.td[Conn.TD_END + snd]; // RST sent answering SYN
            end = seq;
        }

        boolean seqOk = before(seq, ct.td[Conn.TD_MAX_END + snd] + 1);
        if (!seqOk) {
            int overshot = end - ct.td[Conn.TD_MAX_END + snd] + 1;
            boolean ackOk = after(sack, ct.td[Conn.TD_END + rcv] - maxAckWindow(ct, snd) - 1);
            boolean inRecvWin = ct.td[Conn.TD_MAX_WIN + rcv] != 0
                    && after(end, ct.td[Conn.TD_END + snd] - ct.td[Conn.TD_MAX_WIN + rcv] - 1);
            if (inRecvWin && ackOk && Integer.compareUnsigned(overshot, ct.td[Conn.TD_MAX_WIN + rcv]) <= 0
                    && before(sack, ct.td[Conn.TD_END + rcv] + 1)) {
                return W_IGNORE; // work around TCPs that send more than the receive window allows
            }
            return liberal ? W_ACCEPT : W_INVALID; // "SEQ is over upper bound"
        }
        if (!before(sack, ct.td[Conn.TD_END + rcv] + 1)) {
            return liberal ? W_ACCEPT : W_INVALID; // "ACK is over upper bound (ACKed data not seen yet)"
        }
        boolean inRecvWin = ct.td[Conn.TD_MAX_WIN + rcv] == 0
                || after(end, ct.td[Conn.TD_END + snd] - ct.td[Conn.TD_MAX_WIN + rcv] - 1);
        if (!inRecvWin) {
            return liberal ? W_ACCEPT : W_IGNORE; // "SEQ is under lower bound (already ACKed data retransmitted)"
        }
        if (!after(sack, ct.td[Conn.TD_END + rcv] - maxAckWindow(ct, snd) - 1)) {
            return liberal ? W_ACCEPT : W_IGNORE; // "ignored ACK under lower bound (possible overly delayed)"
        }

        if (!syn) {
            win <<= ct.td[Conn.TD_SCALE + snd];
        }
        // update sender data
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(ct.td[Conn.TD_MAX_WIN + snd], swin) < 0) {
            ct.td[Conn.TD_MAX_WIN + snd] = swin;
        }
        if (after(end, ct.td[Conn.TD_END + snd])) {
            ct.td[Conn.TD_END + snd] = end;
            ct.td[Conn.TD_FLAGS + snd] |= Conn.TF_DATA_UNACKNOWLEDGED;
        }
        if (hasAck) {
            if ((ct.td[Conn.TD_FLAGS + snd] & Conn.TF_MAXACK_SET) == 0) {
                ct.td[Conn.TD_MAX_ACK + snd] = ack;
                ct.td[Conn.TD_FLAGS + snd] |= Conn.TF_MAXACK_SET;
            } else if (after(ack, ct.td[Conn.TD_MAX_ACK + snd])) {
                ct.td[Conn.TD_MAX_ACK + snd] = ack;
            }
        }
        // update receiver data
        if (ct.td[Conn.TD_MAX_WIN + rcv] != 0 && after(end, ct.td[Conn.TD_MAX_END + snd])) {
            ct.td[Conn.TD_MAX_WIN + rcv] += end - ct.td[Conn.TD_MAX_END + snd];
        }
        if (after(sack + win, ct.td[Conn.TD_MAX_END + rcv] - 1)) {
            ct.td[Conn.TD_MAX_END + rcv] = sack + win;
            if (win == 0) {
                ct.td[Conn.TD_MAX_END + rcv]++;
            }
        }
        if (ack == ct.td[Conn.TD_END + rcv]) {
            ct.td[Conn.TD_FLAGS + rcv] &= ~Conn.TF_DATA_UNACKNOWLEDGED;
        }
        // check retransmissions
        if (index == ACK_SET) {
            if (ct.lastDir == dir && ct.lastSeq == seq && ct.lastAck == ack && ct.lastEnd == end
                    && ct.lastWin == winRaw) {
                ct.retrans++;
            } else {
                ct.lastDir = dir;
                ct.lastSeq = seq;
                ct.lastAck = ack;
                ct.lastEnd = end;
                ct.lastWin = winRaw;
                ct.retrans = 0;
            }
        }
        return W_ACCEPT;
    }
}
