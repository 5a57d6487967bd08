package io.svclab.net.nat;

import io.svclab.net.Ip4;
import io.svclab.net.NetInterface;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.Route;

/** The source address MASQUERADE maps to ({@code nf_nat_masquerade_ipv4}, {@code inet_select_addr}). */
public final class Masquerade {

    private Masquerade() {
    }

    /**
     * An address of the packet's outgoing device: the first one whose subnet holds the next hop,
     * else the device's first address; 0 when the packet has no outgoing device or it has no
     * address (the kernel then drops the packet).
     */
    public static int address(Packet p, NetNamespace ns) {
        Route r = ns.routes().lookup(p.dst);
        NetInterface dev = p.outDev != null ? p.outDev : r == null ? null : r.dev();
        if (dev == null) {
            return 0;
        }
        int nh = r == null ? p.dst : r.nextHop(p.dst);
        int addr = 0;
        for (int[] a : dev.addresses()) {
            if (Ip4.inPrefix(nh, a[0], a[1])) {
                return a[0];
            }
            if (addr == 0) {
                addr = a[0];
            }
        }
        return addr;
    }
}
