package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A virtual service ({@code struct ip_vs_service}): protocol, virtual address and port, scheduler,
 * flags, persistence timeout and netmask, and its destinations in the kernel's list order (the most
 * recently added first, as {@code list_add_rcu} at the head leaves them).
 */
public final class IpvsService {

    /** {@code IP_VS_SVC_F_PERSISTENT}. */
    public static final int FLAG_PERSISTENT = 0x0001;
    /** {@code IP_VS_SVC_F_ONEPACKET} ("ops"). */
    public static final int FLAG_ONEPACKET = 0x0004;
    /** {@code IP_VS_SVC_F_SCHED1}: sh-fallback / mh-fallback. */
    public static final int FLAG_SCHED1 = 0x0008;
    /** {@code IP_VS_SVC_F_SCHED2}: sh-port / mh-port. */
    public static final int FLAG_SCHED2 = 0x0010;
    /** {@code IP_VS_SVC_F_SCHED3}. */
    public static final int FLAG_SCHED3 = 0x0020;

    final int proto;
    final int addr;
    final int port;
    int flags;
    /** Persistence timeout in seconds ({@code svc->timeout / HZ}). */
    int timeout;
    int netmask = 0xffffffff;
    IpvsScheduler scheduler;
    final List<IpvsDest> dests = new ArrayList<>();
    final IpvsStats stats = new IpvsStats();

    IpvsService(int proto, int addr, int port) {
        this.proto = proto;
        this.addr = addr;
        this.port = port;
    }

    public int proto() {
        return proto;
    }

    public int addr() {
        return addr;
    }

    public int port() {
        return port;
    }

    public int flags() {
        return flags;
    }

    public boolean persistent() {
        return (flags & FLAG_PERSISTENT) != 0;
    }

    /** Persistence timeout in seconds. */
    public int persistenceTimeout() {
        return timeout;
    }

    public int netmask() {
        return netmask;
    }

    public String schedulerName() {
        return scheduler.name();
    }

    /** Destinations in kernel list order (newest first), as {@code /proc/net/ip_vs} prints them. */
    public List<IpvsDest> dests() {
        return Collections.unmodifiableList(dests);
    }

    /** The destination of this address and port in the list, or null. */
    public IpvsDest dest(int daddr, int dport) {
        for (int i = 0, n = dests.size(); i < n; i++) {
            IpvsDest d = dests.get(i);
            if (d.addr == daddr && d.port == dport) {
                return d;
            }
        }
        return null;
    }

    public IpvsStats stats() {
        return stats;
    }

    /** {@code TCP  10.96.0.10:80}, as ipvsadm names the service. */
    public String displayName() {
        return (proto == IpProto.TCP ? "TCP" : proto == IpProto.UDP ? "UDP" : "SCTP") + "  " + Ip4.endpoint(addr, port);
    }

    @Override
    public String toString() {
        return displayName() + " " + scheduler.name();
    }
}
