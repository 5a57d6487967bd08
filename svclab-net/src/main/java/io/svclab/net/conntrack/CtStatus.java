package io.svclab.net.conntrack;

/**
 * Status bits of a conntrack entry ({@code enum ip_conntrack_status},
 * include/uapi/linux/netfilter/nf_conntrack_common.h), as int masks for {@link Conn#status}.
 */
public final class CtStatus {

    /** Bit 0: created from a helper expectation. */
    public static final int EXPECTED = 1;
    /** Bit 1: a reply-direction packet was accepted; shown as the absence of {@code [UNREPLIED]}. */
    public static final int SEEN_REPLY = 1 << 1;
    /** Bit 2: protected from early drop; shown {@code [ASSURED]}. */
    public static final int ASSURED = 1 << 2;
    /** Bit 3: in the hash table. */
    public static final int CONFIRMED = 1 << 3;
    /** Bit 4: source NAT applied (reply tuple's destination differs). */
    public static final int SRC_NAT = 1 << 4;
    /** Bit 5: destination NAT applied. */
    public static final int DST_NAT = 1 << 5;
    /** Both NAT bits ({@code IPS_NAT_MASK}). */
    public static final int NAT_MASK = SRC_NAT | DST_NAT;
    /** Bit 6: helper sequence adjustment. */
    public static final int SEQ_ADJUST = 1 << 6;
    /** Bit 7: the SRC manip decision was made (also by a null binding). */
    public static final int SRC_NAT_DONE = 1 << 7;
    /** Bit 8: the DST manip decision was made (also by a null binding). */
    public static final int DST_NAT_DONE = 1 << 8;
    /** Bit 9: removed from the hash (killed or expired). */
    public static final int DYING = 1 << 9;
    /** Bit 10: timeout set by the user, never refreshed. */
    public static final int FIXED_TIMEOUT = 1 << 10;
    /** Bit 11: template conntrack. */
    public static final int TEMPLATE = 1 << 11;
    /** Bit 12: NAT clash (kernel-internal). */
    public static final int NAT_CLASH = 1 << 12;
    /** Bit 13: helper explicitly attached. */
    public static final int HELPER = 1 << 13;
    /** Bit 14: flowtable offload ({@code [OFFLOAD]}). */
    public static final int OFFLOAD = 1 << 14;
    /** Bit 15: hardware offload ({@code [HW_OFFLOAD]}). */
    public static final int HW_OFFLOAD = 1 << 15;

    private CtStatus() {
    }
}
