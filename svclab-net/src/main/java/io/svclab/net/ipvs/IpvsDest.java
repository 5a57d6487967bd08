package io.svclab.net.ipvs;

import io.svclab.net.Ip4;

/**
 * A real server of a virtual service ({@code struct ip_vs_dest}): address, port, forwarding
 * method, weight, thresholds, the connection counters {@code ipvsadm -Ln} prints, and statistics.
 * A deleted destination loses {@link #FLAG_AVAILABLE} and waits in the service table's trash
 * while connections still reference it; re-adding the same address and port revives this object.
 */
public final class IpvsDest {

    /** {@code IP_VS_DEST_F_AVAILABLE}: linked to its service. */
    public static final int FLAG_AVAILABLE = 0x0001;
    /** {@code IP_VS_DEST_F_OVERLOAD}: over the upper threshold, skipped by the schedulers. */
    public static final int FLAG_OVERLOAD = 0x0002;

    /** Forwarding methods ({@code IP_VS_CONN_F_MASQ} ...). */
    public static final int FWD_MASQ = 0;
    public static final int FWD_LOCALNODE = 1;
    public static final int FWD_TUNNEL = 2;
    public static final int FWD_DROUTE = 3;
    public static final int FWD_BYPASS = 4;

    final int addr;
    final int port;
    IpvsService svc;
    int fwd;
    int weight;
    int lastWeight;
    int flags;
    int uThreshold;
    int lThreshold;
    int activeConns;
    int inactConns;
    int persistConns;
    /** Connections and templates bound to this dest (the kernel's refcnt minus the list's own). */
    int refs;
    /** Jiffy when the trash first saw it unreferenced ({@code idle_start}), 0 = not yet. */
    long idleStartJiffies;
    final IpvsStats stats = new IpvsStats();

    IpvsDest(IpvsService svc, int addr, int port) {
        this.svc = svc;
        this.addr = addr;
        this.port = port;
    }

    public int addr() {
        return addr;
    }

    public int port() {
        return port;
    }

    public int weight() {
        return weight;
    }

    /** The weight the Maglev table is built from ({@code last_weight}): not lowered to 0. */
    public int lastWeight() {
        return lastWeight;
    }

    /** Forwarding method, {@link #FWD_MASQ} etc. */
    public int forwarding() {
        return fwd;
    }

    public int flags() {
        return flags;
    }

    public boolean available() {
        return (flags & FLAG_AVAILABLE) != 0;
    }

    public boolean overloaded() {
        return (flags & FLAG_OVERLOAD) != 0;
    }

    public int activeConns() {
        return activeConns;
    }

    public int inactConns() {
        return inactConns;
    }

    public int persistConns() {
        return persistConns;
    }

    public int upperThreshold() {
        return uThreshold;
    }

    public int lowerThreshold() {
        return lThreshold;
    }

    public IpvsStats stats() {
        return stats;
    }

    /** {@code ip_vs_dest_conn_overhead}: {@code (activeconns << 8) + inactconns}. */
    int overhead() {
        return (activeConns << 8) + inactConns;
    }

    /** {@code ip_vs_fwd_name}. */
    public static String forwardingName(int fwd) {
        switch (fwd) {
            case FWD_MASQ:
                return "Masq";
            case FWD_LOCALNODE:
                return "Local";
            case FWD_TUNNEL:
                return "Tunnel";
            case FWD_DROUTE:
                return "Route";
            default:
                return "Bypass";
        }
    }

    @Override
    public String toString() {
        return Ip4.endpoint(addr, port) + " w" + weight;
    }
}
