package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.sim.Priority;
import io.svclab.sim.Timer;

/**
 * One IPVS connection entry or persistence template ({@code struct ip_vs_conn}). The entry is its
 * own expiry timer ({@code cp->timer}, {@code ip_vs_conn_expire}); every packet handled through it
 * re-arms the timer with the timeout of its (new) state ({@code ip_vs_conn_put}).
 */
public final class IpvsConn extends Timer {

    /** {@code IP_VS_CONN_F_FWD_MASK}. */
    public static final int F_FWD_MASK = 0x0007;
    /** {@code IP_VS_CONN_F_HASHED}. */
    public static final int F_HASHED = 0x0040;
    /** {@code IP_VS_CONN_F_NOOUTPUT}: DR/TUN, the director sees no replies. */
    public static final int F_NOOUTPUT = 0x0080;
    /** {@code IP_VS_CONN_F_INACTIVE}: counted in InActConn. */
    public static final int F_INACTIVE = 0x0100;
    /** {@code IP_VS_CONN_F_TEMPLATE}: a persistence template. */
    public static final int F_TEMPLATE = 0x1000;
    /** {@code IP_VS_CONN_F_ONE_PACKET}. */
    public static final int F_ONE_PACKET = 0x2000;
    /** {@code IP_VS_CONN_F_NFCT}: uses netfilter conntrack. */
    public static final int F_NFCT = 1 << 16;

    final Ipvs ipvs;
    final int proto;
    int caddr;
    int cport;
    int vaddr;
    int vport;
    int daddr;
    int dport;
    IpvsDest dest;
    int flags;
    int state;
    int oldState;
    /** {@code cp->timeout} in jiffies. */
    long timeoutJiffies;
    IpvsConn control;
    int nControl;
    long inPkts;
    /** Next entry with the same "in" / "out" key (older). */
    IpvsConn nextIn;
    IpvsConn nextOut;
    /** Links of the table's list of all entries. */
    IpvsConn prevAll;
    IpvsConn nextAll;
    boolean linked;

    IpvsConn(Ipvs ipvs, int proto, int caddr, int cport, int vaddr, int vport, int daddr, int dport) {
        super(ipvs.sim(), Priority.EXPIRY);
        this.ipvs = ipvs;
        this.proto = proto;
        this.caddr = caddr;
        this.cport = cport;
        this.vaddr = vaddr;
        this.vport = vport;
        this.daddr = daddr;
        this.dport = dport;
    }

    @Override
    protected void fire() {
        ipvs.expire(this);
    }

    public int proto() {
        return proto;
    }

    public int clientAddr() {
        return caddr;
    }

    public int clientPort() {
        return cport;
    }

    public int virtualAddr() {
        return vaddr;
    }

    public int virtualPort() {
        return vport;
    }

    public int destAddr() {
        return daddr;
    }

    public int destPort() {
        return dport;
    }

    /** The destination object (possibly deleted and in the trash), or null. */
    public IpvsDest dest() {
        return dest;
    }

    public int flags() {
        return flags;
    }

    public boolean template() {
        return (flags & F_TEMPLATE) != 0;
    }

    /** {@link IpvsTcpStates} index for TCP; 0 for UDP and templates. */
    public int state() {
        return state;
    }

    /** The state name as {@code /proc/net/ip_vs_conn} prints it ({@code ip_vs_state_name}). */
    public String stateName() {
        if (template()) {
            return "NONE";
        }
        if (proto == io.svclab.net.IpProto.UDP) {
            return "UDP";
        }
        return IpvsTcpStates.name(state);
    }

    /** The controlling template or connection, or null. */
    public IpvsConn control() {
        return control;
    }

    /** Number of entries this one controls. */
    public int controlledCount() {
        return nControl;
    }

    /**
     * Whole seconds until expiry as {@code /proc/net/ip_vs_conn} computes them:
     * {@code (timer.expires - jiffies) / HZ}.
     */
    public long expiresInSeconds() {
        if (!isPending()) {
            return 0;
        }
        long j = Ipvs.jiffies(deadline()) - Ipvs.jiffies(ipvs.sim().now());
        return Math.max(0, j) / Ipvs.HZ;
    }

    @Override
    public String describe() {
        return "ipvs conn expire " + Ip4.endpoint(caddr, cport) + " > " + Ip4.endpoint(vaddr, vport);
    }

    @Override
    public String toString() {
        return stateName() + " " + Ip4.endpoint(caddr, cport) + " " + Ip4.endpoint(vaddr, vport) + " "
                + Ip4.endpoint(daddr, dport);
    }
}
