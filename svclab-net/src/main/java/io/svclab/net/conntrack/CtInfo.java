package io.svclab.net.conntrack;

import io.svclab.net.Packet;

/**
 * {@code enum ip_conntrack_info} (include/uapi/linux/netfilter/nf_conntrack_common.h): how a packet
 * relates to its conntrack entry, stored in {@link Packet#ctinfo} next to {@link Packet#nfct}. A
 * packet without an entry ({@code nfct == null}) is INVALID for {@code --ctstate}.
 */
public final class CtInfo {

    /** Original direction, the entry has seen a reply. */
    public static final int ESTABLISHED = 0;
    /** Related to a tracked connection (an ICMP error about it), original direction. */
    public static final int RELATED = 1;
    /** Original direction, no reply seen yet (SYN retransmissions stay NEW). */
    public static final int NEW = 2;
    /** Reply direction, any packet. */
    public static final int ESTABLISHED_REPLY = 3;
    /** Related, reply direction. */
    public static final int RELATED_REPLY = 4;
    /** Untracked (raw NOTRACK). */
    public static final int UNTRACKED = 7;

    private CtInfo() {
    }

    /** Whether the ctinfo is a reply-direction one ({@code CTINFO2DIR}). */
    public static boolean isReply(int ctinfo) {
        return ctinfo == ESTABLISHED_REPLY || ctinfo == RELATED_REPLY;
    }

    /** The {@code --ctstate} name of a packet: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED. */
    public static String ctstate(Packet p) {
        if (p.nfct == null) {
            return p.ctinfo == UNTRACKED ? "UNTRACKED" : "INVALID";
        }
        switch (p.ctinfo) {
            case NEW:
                return "NEW";
            case RELATED:
            case RELATED_REPLY:
                return "RELATED";
            default:
                return "ESTABLISHED";
        }
    }
}
