package io.svclab.net.iptables;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetInterface;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;

/**
 * One compiled rule ({@code struct ipt_entry}): the IP header part, the matches in the order
 * given, the target, and the rule's packet and byte counters.
 */
final class Rule {

    int src;
    int srcLen = -1;
    boolean srcInv;
    int dst;
    int dstLen = -1;
    boolean dstInv;
    int proto;
    boolean protoInv;
    String inIface;
    boolean inInv;
    String outIface;
    boolean outInv;
    Match[] matches = new Match[0];
    Target target = Target.NO_TARGET;
    long packets;
    long bytes;
    /** The iptables-save form after {@code -A CHAIN}, fixed once the rule is read. */
    String spec;

    boolean test(Packet p, NetNamespace ns) {
        if (srcLen >= 0 && Ip4.inPrefix(p.src, src, srcLen) == srcInv) {
            return false;
        }
        if (dstLen >= 0 && Ip4.inPrefix(p.dst, dst, dstLen) == dstInv) {
            return false;
        }
        if (proto != 0 && (p.proto == proto) == protoInv) {
            return false;
        }
        if (inIface != null && iface(p.inDev, inIface) == inInv) {
            return false;
        }
        if (outIface != null && iface(p.outDev, outIface) == outInv) {
            return false;
        }
        for (Match m : matches) {
            if (!m.test(p, ns)) {
                return false;
            }
        }
        return true;
    }

    /** {@code ifname} comparison with the trailing {@code +} wildcard. */
    private static boolean iface(NetInterface dev, String pattern) {
        if (dev == null) {
            return false;
        }
        String n = dev.name();
        int last = pattern.length() - 1;
        if (last >= 0 && pattern.charAt(last) == '+') {
            return n.regionMatches(0, pattern, 0, last);
        }
        return n.equals(pattern);
    }

    /** Builds {@link #spec} as iptables-save prints it. */
    void fixSpec() {
        StringBuilder b = new StringBuilder(96);
        if (srcLen >= 0) {
            b.append(srcInv ? " ! -s " : " -s ").append(Ip4.format(src)).append('/').append(srcLen);
        }
        if (dstLen >= 0) {
            b.append(dstInv ? " ! -d " : " -d ").append(Ip4.format(dst)).append('/').append(dstLen);
        }
        if (inIface != null) {
            b.append(inInv ? " ! -i " : " -i ").append(inIface);
        }
        if (outIface != null) {
            b.append(outInv ? " ! -o " : " -o ").append(outIface);
        }
        if (proto != 0) {
            b.append(protoInv ? " ! -p " : " -p ").append(IpProto.name(proto));
        }
        for (Match m : matches) {
            m.save(b);
        }
        target.save(b);
        spec = b.toString();
    }
}
