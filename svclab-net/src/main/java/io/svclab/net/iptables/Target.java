package io.svclab.net.iptables;

import io.svclab.net.Ip4;
import io.svclab.net.nat.NatRange;

/** The target of a rule: a verdict, a jump or goto, or a target extension with its options. */
final class Target {

    static final int NONE = 0;
    static final int ACCEPT = 1;
    static final int DROP = 2;
    static final int RETURN = 3;
    static final int JUMP = 4;
    static final int GOTO = 5;
    static final int DNAT = 6;
    static final int SNAT = 7;
    static final int MASQUERADE = 8;
    static final int MARK = 9;
    static final int REJECT = 10;

    static final Target NO_TARGET = new Target(NONE, null);

    final int kind;
    /** Chain name of JUMP and GOTO, the extension name otherwise. */
    final String name;
    /** Resolved at commit for JUMP and GOTO. */
    Chain chain;
    /** DNAT, SNAT, MASQUERADE. */
    NatRange range;
    boolean hasRange;
    /** MARK: {@code skb->mark = (skb->mark & ~mask) ^ value}. */
    int markValue;
    int markMask;
    boolean markGiven;
    /** REJECT: ICMP destination-unreachable code and its name. */
    int rejectCode = io.svclab.net.Icmp.PORT_UNREACH;
    String rejectName = "icmp-port-unreachable";
    /** NAT flags set by options. */
    int natFlags;
    int masqMinPort;
    int masqMaxPort;
    /** MASQUERADE: the range last built, reused while the chosen address stays the same. */
    NatRange masqRange;

    Target(int kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    boolean isNat() {
        return kind == DNAT || kind == SNAT || kind == MASQUERADE;
    }

    void save(StringBuilder b) {
        switch (kind) {
            case NONE:
                return;
            case GOTO:
                b.append(" -g ").append(name);
                return;
            case ACCEPT:
            case DROP:
            case RETURN:
            case JUMP:
                b.append(" -j ").append(name);
                return;
            case DNAT:
                b.append(" -j DNAT --to-destination ");
                natRange(b);
                flags(b);
                return;
            case SNAT:
                b.append(" -j SNAT --to-source ");
                natRange(b);
                flags(b);
                return;
            case MASQUERADE:
                b.append(" -j MASQUERADE");
                if (masqMinPort != 0) {
                    b.append(" --to-ports ").append(masqMinPort);
                    if (masqMaxPort != masqMinPort) {
                        b.append('-').append(masqMaxPort);
                    }
                }
                flags(b);
                return;
            case MARK:
                b.append(" -j MARK --set-xmark 0x").append(Integer.toHexString(markValue))
                        .append("/0x").append(Integer.toHexString(markMask));
                return;
            case REJECT:
                b.append(" -j REJECT --reject-with ").append(rejectName);
                return;
            default:
                throw new IllegalStateException("target kind " + kind);
        }
    }

    private void natRange(StringBuilder b) {
        b.append(Ip4.format(range.minAddr()));
        if (range.maxAddr() != range.minAddr()) {
            b.append('-').append(Ip4.format(range.maxAddr()));
        }
        if (range.has(NatRange.PROTO_SPECIFIED)) {
            b.append(':').append(range.minPort());
            if (range.maxPort() != range.minPort()) {
                b.append('-').append(range.maxPort());
            }
        }
    }

    private void flags(StringBuilder b) {
        if ((natFlags & NatRange.PROTO_RANDOM) != 0) {
            b.append(" --random");
        }
        if ((natFlags & NatRange.PROTO_RANDOM_FULLY) != 0) {
            b.append(" --random-fully");
        }
        if ((natFlags & NatRange.PERSISTENT) != 0) {
            b.append(" --persistent");
        }
    }
}
