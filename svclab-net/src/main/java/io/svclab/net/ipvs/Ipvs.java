package io.svclab.net.ipvs;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.HookFn;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.Decided;
import io.svclab.net.trace.DropReason;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * IPVS in one network namespace ({@code struct netns_ipvs}): virtual services and their real
 * servers, the trash of deleted destinations, the connection table, the TCP/UDP timeouts, and the
 * hook functions of {@code ip_vs_core.c} that run the datapath:
 * <ul>
 *   <li>{@code ipvs_in} at INPUT {@link NfPriority#IPVS_IN_INPUT} ({@code ip_vs_in_hook}) and
 *       {@code ipvs_local_request} at OUTPUT {@link NfPriority#IPVS_IN_OUTPUT}
 *       ({@code ip_vs_local_request_hook}): requests to a virtual service;</li>
 *   <li>{@code ipvs_out} at INPUT {@link NfPriority#IPVS_OUT_INPUT}, FORWARD
 *       {@link NfPriority#IPVS_OUT_FORWARD} and OUTPUT {@link NfPriority#IPVS_OUT_OUTPUT}
 *       ({@code ip_vs_out_hook}): replies of real servers, and ICMP errors about packets sent to
 *       them (also the node's own, e.g. host unreachable after a failed ARP).</li>
 * </ul>
 * Version differences are selected by {@link KernelFeature} switches of the namespace's kernel
 * profile; behaviour knobs are the {@code net.ipv4.vs.*} sysctls of the namespace.
 */
public final class Ipvs {

    /** Kernel tick rate assumed for jiffies-valued output (Debian/Ubuntu x86-64 kernels: 250). */
    public static final int HZ = 250;
    /** Nanoseconds per jiffy. */
    public static final long NS_PER_JIFFY = 1_000_000_000L / HZ;
    /** {@code ip_vs_conn_tab_size} with the default {@code conn_tab_bits=12}. */
    public static final int CONN_TAB_SIZE = 4096;
    /** Initial timeout of a new entry ({@code ip_vs_conn_new}: 3 s). */
    static final int NEW_CONN_TIMEOUT_S = 3;
    /** Retry period of an entry that still controls others ({@code ip_vs_conn_expire}: 60 s). */
    static final int EXPIRE_LATER_S = 60;
    /** {@code IP_VS_DEST_TRASH_PERIOD}. */
    static final int DEST_TRASH_PERIOD_S = 120;
    /** {@code IP_VS_UDP_S_NORMAL} default timeout. */
    static final int UDP_TIMEOUT_S = 300;

    private final NetNamespace ns;
    private final IpvsConntrack ct;
    private final KernelProfile profile;
    private final Sysctls sysctls;
    private final List<IpvsService> services = new ArrayList<>();
    private final ServiceIndex serviceIndex = new ServiceIndex();
    private final ConnTable conns = new ConnTable();
    private final List<IpvsDest> trash = new ArrayList<>();
    private final int[] tcpTimeouts = new int[IpvsTcpStates.COUNT];
    private int udpTimeout = UDP_TIMEOUT_S;
    private boolean defenseTable;
    private final IpvsStats total = new IpvsStats();
    private final Timer nodestWork;
    private final Timer trashTimer;
    private final Counters counters = new Counters();

    private final HookFn inFn = (p, n, h) -> in(p, h);
    private final HookFn outFn = (p, n, h) -> out(p);

    /** Datapath decisions counted for tests and reports. */
    public static final class Counters {
        long reuseRescheduled;
        long reuseDropped;
        long nodestDropped;
        long noDestination;
        long unsupportedForwarding;

        /** SYNs on an existing entry that were scheduled afresh (reuse block or unavailable dest). */
        public long reuseRescheduled() {
            return reuseRescheduled;
        }

        /** SYNs dropped so that the old conntrack entry goes first ({@code return NF_DROP} with old_ct). */
        public long reuseDropped() {
            return reuseDropped;
        }

        /** Packets dropped because their entry's destination was deleted. */
        public long nodestDropped() {
            return nodestDropped;
        }

        /** New connections refused with ICMP port unreachable (no eligible destination). */
        public long noDestination() {
            return noDestination;
        }

        /** Packets of entries whose forwarding method is not masquerading (not modelled, dropped). */
        public long unsupportedForwarding() {
            return unsupportedForwarding;
        }
    }

    private Ipvs(NetNamespace ns, IpvsConntrack ct) {
        this.ns = ns;
        this.ct = ct == null ? IpvsConntrack.NONE : ct;
        this.sysctls = ns.sysctls();
        this.profile = sysctls.profile();
        for (int s = 0; s < IpvsTcpStates.COUNT; s++) {
            tcpTimeouts[s] = IpvsTcpStates.defaultTimeout(s);
        }
        this.nodestWork = ns.sim().timer(Priority.EXPIRY, this::expireNodestConnFlush);
        this.trashTimer = ns.sim().timer(Priority.EXPIRY, this::destTrashExpire);
    }

    /**
     * Loads IPVS into a namespace: registers the five hook functions and attaches the instance
     * ({@link NetNamespace#attachment(Class)}).
     *
     * @param ct the conntrack bridge, or {@link IpvsConntrack#NONE} without conntrack
     */
    public static Ipvs install(NetNamespace ns, IpvsConntrack ct) {
        Ipvs ipvs = new Ipvs(ns, ct);
        ns.registerHook(Hook.INPUT, new HookEntry("ipvs_out", NfPriority.IPVS_OUT_INPUT, ipvs.outFn));
        ns.registerHook(Hook.INPUT, new HookEntry("ipvs_in", NfPriority.IPVS_IN_INPUT, ipvs.inFn));
        ns.registerHook(Hook.FORWARD, new HookEntry("ipvs_out", NfPriority.IPVS_OUT_FORWARD, ipvs.outFn));
        ns.registerHook(Hook.OUTPUT, new HookEntry("ipvs_out", NfPriority.IPVS_OUT_OUTPUT, ipvs.outFn));
        ns.registerHook(Hook.OUTPUT, new HookEntry("ipvs_local_request", NfPriority.IPVS_IN_OUTPUT, ipvs.inFn));
        ns.attach(Ipvs.class, ipvs);
        return ipvs;
    }

    /** The IPVS instance of a namespace, or null when not installed. */
    public static Ipvs of(NetNamespace ns) {
        return ns.attachment(Ipvs.class);
    }

    static long jiffies(long ns) {
        return Math.floorDiv(ns, NS_PER_JIFFY);
    }

    Simulation sim() {
        return ns.sim();
    }

    public NetNamespace namespace() {
        return ns;
    }

    public KernelProfile profile() {
        return profile;
    }

    public Counters counters() {
        return counters;
    }

    /** Namespace totals ({@code ipvs->tot_stats}, {@code /proc/net/ip_vs_stats}). */
    public IpvsStats totalStats() {
        return total;
    }

    /** Selects the defense transition table ({@code tcp_states_dos}, {@code secure_tcp} active). */
    public void useDefenseTable(boolean on) {
        defenseTable = on;
    }

    // ================================================================== configuration

    /** Services in creation order. */
    public List<IpvsService> services() {
        return Collections.unmodifiableList(services);
    }

    /** The service of (protocol, address, port), or null ({@code __ip_vs_service_find}). */
    public IpvsService service(int proto, int addr, int port) {
        return serviceIndex.get(proto, addr, port);
    }

    /** Deleted destinations still referenced by connections ({@code ipvs->dest_trash}). */
    public List<IpvsDest> trash() {
        return Collections.unmodifiableList(trash);
    }

    /**
     * {@code ipvsadm -A}: adds a virtual service.
     *
     * @param persistTimeout persistence timeout in seconds, 0 for none
     */
    public IpvsService addService(int proto, int addr, int port, String scheduler, int flags, int persistTimeout,
                                  int netmask) throws IpvsException {
        IpvsScheduler sched = IpvsSchedulers.create(scheduler);
        if (sched == null) {
            throw new IpvsException("Scheduler not found");
        }
        if (proto != IpProto.TCP && proto != IpProto.UDP) {
            throw new IpvsException("Invalid protocol");
        }
        if (service(proto, addr, port) != null) {
            throw new IpvsException("Service already exists");
        }
        IpvsService s = new IpvsService(proto, addr, port);
        applyServiceOptions(s, sched, flags, persistTimeout, netmask);
        services.add(s);
        serviceIndex.put(s);
        return s;
    }

    private void applyServiceOptions(IpvsService s, IpvsScheduler sched, int flags, int persistTimeout, int netmask) {
        s.flags = flags & ~IpvsService.FLAG_PERSISTENT;
        if (persistTimeout > 0) {
            s.flags |= IpvsService.FLAG_PERSISTENT;
        }
        s.timeout = persistTimeout;
        s.netmask = netmask;
        if (s.scheduler == null || !s.scheduler.name().equals(sched.name())) {
            s.scheduler = sched;
            sched.initService(s);
        }
    }

    /** {@code ipvsadm -E}: changes scheduler, flags and persistence of a service. */
    public void editService(int proto, int addr, int port, String scheduler, int flags, int persistTimeout,
                            int netmask) throws IpvsException {
        IpvsService s = service(proto, addr, port);
        if (s == null) {
            throw new IpvsException("No such service");
        }
        IpvsScheduler sched = IpvsSchedulers.create(scheduler);
        if (sched == null) {
            throw new IpvsException("Scheduler not found");
        }
        applyServiceOptions(s, sched, flags, persistTimeout, netmask);
    }

    /** {@code ipvsadm -D}: deletes a service; its destinations go to the trash. */
    public void deleteService(int proto, int addr, int port) throws IpvsException {
        IpvsService s = service(proto, addr, port);
        if (s == null) {
            throw new IpvsException("No such service");
        }
        delService(s);
    }

    private void delService(IpvsService s) {
        services.remove(s);
        serviceIndex.remove(s);
        boolean any = !s.dests.isEmpty();
        while (!s.dests.isEmpty()) {
            IpvsDest d = s.dests.remove(0);
            d.flags &= ~IpvsDest.FLAG_AVAILABLE;
            toTrash(d);
        }
        if (any) {
            enqueueExpireNodest();
        }
    }

    /** {@code ipvsadm -C}: deletes every service. */
    public void flush() {
        while (!services.isEmpty()) {
            delService(services.get(0));
        }
    }

    /**
     * {@code ipvsadm -a}: adds a real server at the head of the list (or revives it from the
     * trash, counters included).
     *
     * @param fwd {@link IpvsDest#FWD_MASQ}, {@link IpvsDest#FWD_DROUTE} or {@link IpvsDest#FWD_TUNNEL}
     */
    public IpvsDest addDest(IpvsService s, int daddr, int dport, int fwd, int weight, int uThreshold,
                            int lThreshold) throws IpvsException {
        checkDest(weight, uThreshold, lThreshold);
        if (s.dest(daddr, dport) != null) {
            throw new IpvsException("Destination already exists");
        }
        IpvsDest d = trashGet(s, daddr, dport);
        if (d == null) {
            d = new IpvsDest(s, daddr, dport);
        }
        updateDest(s, d, fwd, weight, uThreshold, lThreshold, true);
        return d;
    }

    private static void checkDest(int weight, int u, int l) throws IpvsException {
        if (weight < 0 || u < 0 || l < 0 || (u != 0 && l > u)) {
            throw new IpvsException("Invalid argument");
        }
    }

    /** {@code ipvsadm -e}: changes weight, forwarding method and thresholds. */
    public void editDest(IpvsService s, int daddr, int dport, int fwd, int weight, int uThreshold, int lThreshold)
            throws IpvsException {
        checkDest(weight, uThreshold, lThreshold);
        IpvsDest d = s.dest(daddr, dport);
        if (d == null) {
            throw new IpvsException("No such destination");
        }
        updateDest(s, d, fwd, weight, uThreshold, lThreshold, false);
    }

    /** {@code __ip_vs_update_dest}. */
    private void updateDest(IpvsService s, IpvsDest d, int fwd, int weight, int u, int l, boolean add) {
        int before = d.weight;
        d.weight = weight;
        if (add || weight != 0) {
            d.lastWeight = weight;
        }
        int f = fwd & IpvsConn.F_FWD_MASK;
        if (ns.isLocal(d.addr)) {
            f = IpvsDest.FWD_LOCALNODE;
        }
        d.fwd = f;
        d.svc = s;
        d.flags |= IpvsDest.FLAG_AVAILABLE;
        if (u == 0 || u > d.uThreshold) {
            d.flags &= ~IpvsDest.FLAG_OVERLOAD;
        }
        d.uThreshold = u;
        d.lThreshold = l;
        if (add) {
            s.dests.add(0, d);
            s.scheduler.addDest(s, d);
        } else {
            s.scheduler.updDest(s, d);
        }
        if ((add || before != weight) && ns.trace().enabled()) {
            IpvsTrace.emit(this, null, Decided.Kind.IPVS_DEST_WEIGHT, "real server " + Ip4.endpoint(d.addr, d.port)
                    + (add ? " added with weight " : " weight set to ") + weight, IpvsTrace.row(d), d);
        }
    }

    /** {@code ipvsadm -d}: unlinks a real server; it waits in the trash while referenced. */
    public void deleteDest(IpvsService s, int daddr, int dport) throws IpvsException {
        IpvsDest d = s.dest(daddr, dport);
        if (d == null) {
            throw new IpvsException("No such destination");
        }
        int idx = s.dests.indexOf(d);
        s.dests.remove(idx);
        d.flags &= ~IpvsDest.FLAG_AVAILABLE;
        s.scheduler.delDest(s, d, idx);
        toTrash(d);
        if (ns.trace().enabled()) {
            IpvsTrace.emit(this, null, Decided.Kind.IPVS_DEST_DELETED, "real server " + Ip4.endpoint(d.addr, d.port)
                    + " deleted from " + s.displayName() + " (kept in the trash while entries use it)",
                    IpvsTrace.row(d), d);
        }
        enqueueExpireNodest();
    }

    private void toTrash(IpvsDest d) {
        trash.add(0, d);
        d.idleStartJiffies = 0;
        if (!trashTimer.isPending()) {
            trashTimer.scheduleIn((long) (DEST_TRASH_PERIOD_S / 2) * HZ * NS_PER_JIFFY);
        }
    }

    /** {@code ip_vs_trash_get_dest}. */
    private IpvsDest trashGet(IpvsService s, int daddr, int dport) {
        for (int i = 0; i < trash.size(); i++) {
            IpvsDest d = trash.get(i);
            if (d.addr == daddr && d.port == dport && d.svc.proto == s.proto && d.svc.addr == s.addr
                    && d.svc.port == s.port) {
                trash.remove(i);
                return d;
            }
        }
        return null;
    }

    /** {@code ip_vs_dest_trash_expire}: frees unreferenced dests idle for a trash period. */
    private void destTrashExpire() {
        long now = jiffies(ns.now());
        for (int i = trash.size() - 1; i >= 0; i--) {
            IpvsDest d = trash.get(i);
            if (d.refs > 0) {
                continue;
            }
            if (d.idleStartJiffies != 0) {
                if (now < d.idleStartJiffies + (long) DEST_TRASH_PERIOD_S * HZ) {
                    continue;
                }
            } else {
                d.idleStartJiffies = Math.max(1, now);
                continue;
            }
            trash.remove(i);
        }
        if (!trash.isEmpty()) {
            trashTimer.scheduleIn((long) (DEST_TRASH_PERIOD_S / 2) * HZ * NS_PER_JIFFY);
        }
    }

    /**
     * {@code ipvsadm --set tcp tcpfin udp}: ESTABLISHED, FIN_WAIT and UDP timeouts in seconds; 0
     * leaves a value unchanged ({@code ip_vs_set_timeout}).
     */
    public void setTimeouts(int tcp, int tcpfin, int udp) throws IpvsException {
        if (tcp < 0 || tcpfin < 0 || udp < 0) {
            throw new IpvsException("Invalid argument");
        }
        if (tcp != 0) {
            tcpTimeouts[IpvsTcpStates.ESTABLISHED] = tcp;
        }
        if (tcpfin != 0) {
            tcpTimeouts[IpvsTcpStates.FIN_WAIT] = tcpfin;
        }
        if (udp != 0) {
            udpTimeout = udp;
        }
    }

    /** The timeout of a TCP state in seconds. */
    public int tcpTimeout(int state) {
        return tcpTimeouts[state];
    }

    /** The UDP timeout in seconds. */
    public int udpTimeout() {
        return udpTimeout;
    }

    // ================================================================== connection table

    /** All entries and templates, newest first. */
    public List<IpvsConn> connections() {
        return conns.all();
    }

    /** The entry for a client → virtual tuple ({@code ip_vs_conn_in_get}), or null. */
    public IpvsConn connection(int proto, int caddr, int cport, int vaddr, int vport) {
        return conns.inGet(proto, caddr, cport, vaddr, vport);
    }

    /** Number of hashed entries and templates. */
    public int connectionCount() {
        return conns.size();
    }

    /**
     * Seeds an entry read from a dump ({@code ipvsadm -Lnc}, {@code /proc/net/ip_vs_conn}) as if
     * the datapath had brought it there: bound to {@code dest} (a real server of its service, or
     * one deleted afterwards), in {@code state}, with the state's timeout and {@code expiresSeconds}
     * left on its timer; NFCT as {@code net.ipv4.vs.conntrack} says now. Not a kernel operation:
     * used to replay a node's state ({@code svclab diagnose}, {@code run --from-dumps}).
     *
     * @param state an {@link IpvsTcpStates} state (TCP entries only)
     */
    public IpvsConn restoreConnection(int proto, int caddr, int cport, int vaddr, int vport, IpvsDest dest, int state,
                                      long expiresSeconds) {
        IpvsConn c = connNew(proto, caddr, cport, vaddr, vport, 0, dest);
        c.state = state;
        if (proto == IpProto.TCP && IpvsTcpStates.active(state, profile.has(KernelFeature.IPVS_PRE_ESTABLISHED_ACTIVE))) {
            dest.inactConns--;
            dest.activeConns++;
            c.flags &= ~IpvsConn.F_INACTIVE;
        }
        if (proto == IpProto.TCP && state != IpvsTcpStates.SYN_RECV && state != IpvsTcpStates.NONE) {
            c.flags &= ~IpvsConn.F_NOOUTPUT; // the real server has answered
        }
        c.timeoutJiffies = proto == IpProto.TCP ? (long) tcpTimeouts[state] * HZ : (long) udpTimeout * HZ;
        c.oldState = state;
        // the dump truncates to whole seconds: take the middle of that second
        c.scheduleIn(Math.max(0, Math.min(expiresSeconds, 1L << 31)) * HZ * NS_PER_JIFFY + HZ / 2 * NS_PER_JIFFY);
        return c;
    }

    /** {@code ip_vs_conn_new}: state NONE, 3 s, bound to the dest, hashed (timer armed by {@link #put}). */
    private IpvsConn connNew(int proto, int caddr, int cport, int vaddr, int vport, int flags, IpvsDest dest) {
        IpvsConn c = new IpvsConn(this, proto, caddr, cport, vaddr, vport, dest.addr, dest.port);
        c.flags = flags;
        c.state = IpvsTcpStates.NONE;
        c.timeoutJiffies = (long) NEW_CONN_TIMEOUT_S * HZ;
        if (sysctls.get(Sysctl.NET_IPV4_VS_CONNTRACK) != 0) {
            c.flags |= IpvsConn.F_NFCT;
        }
        bindDest(c, dest);
        conns.hash(c);
        return c;
    }

    /** {@code ip_vs_bind_dest}. */
    private void bindDest(IpvsConn c, IpvsDest d) {
        d.refs++;
        int connFlags = d.fwd | IpvsConn.F_INACTIVE;
        if (d.fwd != IpvsDest.FWD_MASQ) {
            connFlags |= IpvsConn.F_NOOUTPUT;
        }
        c.flags |= connFlags;
        c.dest = d;
        if ((c.flags & IpvsConn.F_TEMPLATE) == 0) {
            if ((c.flags & IpvsConn.F_INACTIVE) == 0) {
                d.activeConns++;
            } else {
                d.inactConns++;
            }
        } else {
            d.persistConns++;
        }
        if (d.uThreshold != 0 && d.activeConns + d.inactConns >= d.uThreshold) {
            d.flags |= IpvsDest.FLAG_OVERLOAD;
        }
    }

    /** {@code ip_vs_unbind_dest}. */
    private void unbindDest(IpvsConn c) {
        IpvsDest d = c.dest;
        if (d == null) {
            return;
        }
        if ((c.flags & IpvsConn.F_TEMPLATE) == 0) {
            if ((c.flags & IpvsConn.F_INACTIVE) != 0) {
                d.inactConns--;
            } else {
                d.activeConns--;
            }
        } else {
            d.persistConns--;
        }
        int totalConns = d.activeConns + d.inactConns;
        if (d.lThreshold != 0) {
            if (totalConns < d.lThreshold) {
                d.flags &= ~IpvsDest.FLAG_OVERLOAD;
            }
        } else if (d.uThreshold != 0) {
            if (totalConns * 4 < d.uThreshold * 3) {
                d.flags &= ~IpvsDest.FLAG_OVERLOAD;
            }
        } else {
            d.flags &= ~IpvsDest.FLAG_OVERLOAD;
        }
        d.refs--;
    }

    /** {@code ip_vs_conn_put}: re-arms the expiry timer with the entry's current timeout. */
    private void put(IpvsConn c) {
        long t = (c.flags & IpvsConn.F_ONE_PACKET) != 0 ? 0 : c.timeoutJiffies;
        c.scheduleIn(t * NS_PER_JIFFY);
    }

    /** {@code ip_vs_conn_expire}: the timer fired (or "expire now"). */
    void expire(IpvsConn c) {
        if (!c.linked) {
            return;
        }
        if (c.nControl > 0) {
            c.timeoutJiffies = (long) EXPIRE_LATER_S * HZ;
            put(c);
            return;
        }
        c.cancel();
        conns.unlink(c);
        if (c.control != null) {
            IpvsConn ctl = c.control;
            c.control = null;
            ctl.nControl--;
        }
        if ((c.flags & IpvsConn.F_NFCT) != 0 && (c.flags & (IpvsConn.F_ONE_PACKET | IpvsConn.F_TEMPLATE)) == 0) {
            ct.dropConntrack(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
        }
        unbindDest(c);
    }

    /** {@code ip_vs_conn_expire_now}: modelled as synchronous expiry (spec 2.4). */
    private void expireNow(IpvsConn c) {
        expire(c);
    }

    /** Queues {@code expire_nodest_conn_work} one jiffy ahead (5.9+, expire_nodest_conn=1). */
    private void enqueueExpireNodest() {
        if (profile.has(KernelFeature.IPVS_EXPIRE_NODEST_DELAYED_WORK)
                && sysctls.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN) != 0 && !nodestWork.isPending()) {
            nodestWork.scheduleIn(NS_PER_JIFFY);
        }
    }

    /** {@code ip_vs_expire_nodest_conn_flush}. */
    private void expireNodestConnFlush() {
        for (IpvsConn c : conns.all()) {
            if (!c.linked) {
                continue;
            }
            IpvsDest d = c.dest;
            if (d == null || d.available()) {
                continue;
            }
            if (c.nControl > 0) {
                continue;
            }
            IpvsConn ctl = c.control;
            expireNow(c);
            if (ctl != null && ctl.nControl == 0 && ctl.linked) {
                expireNow(ctl);
            }
        }
    }

    // ================================================================== datapath

    /** Whether the packet opens a connection ({@code is_new_conn}): TCP SYN; never for UDP. */
    private static boolean isNewConn(Packet p) {
        return p.proto == IpProto.TCP && (p.tcpFlags & TcpFlags.SYN) != 0;
    }

    /** {@code is_new_conn_expected}. */
    private static boolean isNewConnExpected(IpvsConn c, int reuseMode) {
        if (c.control != null) {
            return false;
        }
        if (c.proto == IpProto.TCP) {
            return c.state == IpvsTcpStates.TIME_WAIT || c.state == IpvsTcpStates.CLOSE
                    || ((reuseMode & 2) != 0 && c.state == IpvsTcpStates.FIN_WAIT
                    && (c.flags & IpvsConn.F_NOOUTPUT) != 0);
        }
        return false;
    }

    /**
     * Whether rescheduling must drop the packet because of the old conntrack entry:
     * {@code ip_vs_conn_uses_old_conntrack} (5.9+), {@code ip_vs_conn_uses_conntrack} (f719e37 to
     * 5.8), never before f719e37.
     */
    private boolean usesOldConntrack(IpvsConn c, Packet p) {
        if (!profile.has(KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT)) {
            return false;
        }
        if (profile.has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)) {
            return ct.attachedEntryConfirmed(p);
        }
        return (c.flags & IpvsConn.F_NFCT) != 0 && ct.attached(p);
    }

    /** {@code ip_vs_in}: requests to virtual services (INPUT and local OUTPUT). */
    Verdict in(Packet p, Hook hook) {
        if (p.ipvsProperty) {
            return Verdict.ACCEPT;
        }
        int proto = p.proto;
        if (proto != IpProto.TCP && proto != IpProto.UDP) {
            return Verdict.ACCEPT;
        }
        IpvsConn cp = conns.inGet(proto, p.src, p.sport, p.dst, p.dport);
        if (cp != null && (cp.flags & IpvsConn.F_TEMPLATE) != 0) {
            cp = null;
        }
        int reuseMode = sysctls.get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE);
        boolean nodest = sysctls.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN) != 0;
        boolean onlyConfirmed = profile.has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT);
        boolean tr = IpvsTrace.wanted(ns.trace(), p);
        if (tr && cp != null && isNewConn(p)) {
            IpvsTrace.emit(this, p, Decided.Kind.IPVS_HIT, new IpvsTrace.Hit(cp.stateName(), cp.daddr, cp.dport,
                    cp.dest == null ? -1 : cp.dest.weight, !IpvsTrace.inService(cp.dest)), IpvsTrace.row(cp), cp.dest);
            IpvsTrace.emit(this, p, Decided.Kind.IPVS_CONSULTED, "port reuse: conn_reuse_mode, expire_nodest_conn,"
                    + " conntrack and the kernel's switches consulted", new IpvsTrace.Consulted(reuseMode, nodest,
                    sysctls.get(Sysctl.NET_IPV4_VS_CONNTRACK) != 0, profile), cp.dest);
        }

        // 4. the port-reuse block
        if (cp != null && isNewConn(p)
                && (reuseMode != 0 || profile.has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE))) {
            boolean resched = false;
            boolean oldCt = false;
            if (nodest && cp.dest != null && cp.dest.weight == 0) {
                resched = true;
                oldCt = usesOldConntrack(cp, p);
            } else if (reuseMode != 0 && isNewConnExpected(cp, reuseMode)) {
                oldCt = usesOldConntrack(cp, p);
                resched = cp.nControl == 0 || !oldCt;
            }
            if (resched) {
                if (!oldCt && onlyConfirmed) {
                    cp.flags &= ~IpvsConn.F_NFCT;
                }
                if (cp.nControl == 0) {
                    expireNow(cp);
                }
                if (oldCt) {
                    if (tr) {
                        IpvsTrace.emit(this, p, Decided.Kind.IPVS_REUSE_DROP, IpvsTrace.REUSE_DROP,
                                "net.ipv4.vs.conntrack = 1", cp.dest);
                    }
                    counters.reuseDropped++;
                    return Verdict.DROP;
                }
                if (tr) {
                    IpvsTrace.emit(this, p, Decided.Kind.IPVS_RESCHEDULE, "entry expired: the SYN is scheduled"
                            + " afresh", IpvsTrace.reuseLine(reuseMode), cp.dest);
                }
                counters.reuseRescheduled++;
                cp = null;
            } else if (tr) {
                IpvsTrace.emit(this, p, Decided.Kind.IPVS_REUSE, new IpvsTrace.Reuse(reuseMode, null, cp.daddr,
                        cp.dport), IpvsTrace.reuseLine(reuseMode), cp.dest);
            }
        } else if (tr && cp != null && isNewConn(p)) {
            IpvsTrace.emit(this, p, Decided.Kind.IPVS_REUSE, new IpvsTrace.Reuse(reuseMode,
                    profile.has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE) ? null
                    : KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE.key(), cp.daddr, cp.dport),
                    IpvsTrace.reuseLine(reuseMode), cp.dest);
        }

        boolean v59 = profile.has(KernelFeature.IPVS_EXPIRE_NODEST_DELAYED_WORK);
        // 5. destination unavailable (5.9+: before scheduling)
        if (v59 && cp != null && cp.dest != null && !cp.dest.available()) {
            if (nodest) {
                boolean oldCt = usesOldConntrack(cp, p);
                if (!oldCt && onlyConfirmed) {
                    cp.flags &= ~IpvsConn.F_NFCT;
                }
                expireNow(cp);
                if (oldCt) {
                    if (tr && isNewConn(p)) {
                        IpvsTrace.emit(this, p, Decided.Kind.IPVS_NODEST_DROP, "real server "
                                + Ip4.endpoint(cp.daddr, cp.dport) + " unavailable: entry expired, packet dropped"
                                + " (old conntrack entry still exists)", "net.ipv4.vs.expire_nodest_conn = 1", cp.dest);
                    }
                    counters.nodestDropped++;
                    return Verdict.DROP;
                }
                cp = null;
            } else {
                if (tr && isNewConn(p)) {
                    IpvsTrace.emit(this, p, Decided.Kind.IPVS_NODEST_DROP, "real server "
                            + Ip4.endpoint(cp.daddr, cp.dport) + " unavailable (" + IpvsTrace.destState(cp.dest)
                            + "): packet dropped, entry kept", "net.ipv4.vs.expire_nodest_conn = 0", cp.dest);
                }
                counters.nodestDropped++;
                return Verdict.DROP;
            }
        }

        // 6. schedule a new connection
        if (cp == null) {
            if (proto == IpProto.TCP && ((p.tcpFlags & TcpFlags.RST) != 0
                    || ((p.tcpFlags & TcpFlags.SYN) == 0 && sysctls.get(Sysctl.NET_IPV4_VS_SLOPPY_TCP) == 0))) {
                return Verdict.ACCEPT;
            }
            IpvsService svc = service(proto, p.dst, p.dport);
            if (svc == null) {
                return Verdict.ACCEPT;
            }
            cp = svc.persistent() ? schedPersist(svc, p) : schedule(svc, p);
            if (tr && cp != null) {
                IpvsTrace.emit(this, p, Decided.Kind.IPVS_SCHEDULE, "new connection entry: the scheduler chose"
                        + " real server", IpvsTrace.row(cp), cp.dest);
            }
            if (cp == null) {
                if (tr) {
                    IpvsTrace.emit(this, p, Decided.Kind.IPVS_NO_DEST, "no real server available for "
                            + svc.displayName() + ": ICMP port unreachable", null, null);
                }
                counters.noDestination++;
                ns.icmpError(p, Icmp.DEST_UNREACH, Icmp.PORT_UNREACH);
                return Verdict.DROP;
            }
        } else if (!v59 && cp.dest != null && !cp.dest.available()) {
            // pre-5.9: after the lookup; the timer is not restarted
            if (tr && isNewConn(p)) {
                IpvsTrace.emit(this, p, Decided.Kind.IPVS_NODEST_DROP, "real server " + Ip4.endpoint(cp.daddr, cp.dport)
                        + " unavailable (" + IpvsTrace.destState(cp.dest) + "): packet dropped"
                        + (nodest ? ", entry expired" : ", entry kept"), nodest ? "net.ipv4.vs.expire_nodest_conn = 1"
                        : "net.ipv4.vs.expire_nodest_conn = 0", cp.dest);
            }
            if (nodest && (cp.flags & IpvsConn.F_ONE_PACKET) == 0) {
                expireNow(cp);
            }
            counters.nodestDropped++;
            return Verdict.DROP;
        }

        // 7. stats, state, transmit, re-arm
        inStats(cp, p);
        setState(cp, IpvsTcpStates.DIR_INPUT, p);
        cp.inPkts++;
        int fwd = cp.flags & IpvsConn.F_FWD_MASK;
        if (fwd == IpvsDest.FWD_LOCALNODE) {
            // ip_vs_null_xmit: the packet continues unchanged to the local stack
            put(cp);
            return Verdict.ACCEPT;
        }
        if (fwd != IpvsDest.FWD_MASQ) {
            put(cp);
            counters.unsupportedForwarding++;
            return Verdict.DROP;
        }
        // ip_vs_nat_xmit: route (__ip_vs_get_out_rt with decrement_ttl), DNAT to the real server,
        // then LOCAL_OUT/POSTROUTING (ip_vs_nat_send_or_cont)
        if (profile.has(KernelFeature.IPVS_DECREMENT_TTL)) {
            if (p.ttl <= 1) {
                ns.icmpError(p, Icmp.TIME_EXCEEDED, 0);
                put(cp);
                ns.drop(p, DropReason.TTL_EXPIRED);
                return Verdict.STOLEN;
            }
            p.ttl--;
        }
        p.dst = cp.daddr;
        p.dport = cp.dport;
        p.ipvsProperty = true;
        if ((cp.flags & IpvsConn.F_NFCT) != 0) {
            ct.updateReply(p, cp.daddr, cp.dport);
        } else {
            ct.notrack(p);
        }
        cp.oldState = cp.state;
        put(cp);
        ns.send(p);
        return Verdict.STOLEN;
    }

    /** {@code ip_vs_schedule} for a service without persistence. */
    private IpvsConn schedule(IpvsService svc, Packet p) {
        IpvsDest d = svc.scheduler.schedule(svc, p);
        if (d == null) {
            return null;
        }
        int flags = (svc.flags & IpvsService.FLAG_ONEPACKET) != 0 && p.proto == IpProto.UDP ? IpvsConn.F_ONE_PACKET : 0;
        IpvsConn c = connNew(p.proto, p.src, p.sport, p.dst, p.dport, flags, d);
        connStats(c, svc);
        return c;
    }

    /** {@code ip_vs_sched_persist}: template lookup or creation, then the controlled entry. */
    private IpvsConn schedPersist(IpvsService svc, Packet p) {
        int snet = p.src & svc.netmask;
        IpvsConn t = templateGet(p.proto, snet, p.dst, p.dport);
        IpvsDest d;
        if (t == null || !checkTemplate(t)) {
            d = svc.scheduler.schedule(svc, p);
            if (d == null) {
                return null;
            }
            t = connNew(p.proto, snet, 0, p.dst, p.dport, IpvsConn.F_TEMPLATE, d);
            t.timeoutJiffies = (long) svc.timeout * HZ;
        } else {
            d = t.dest;
        }
        int flags = (svc.flags & IpvsService.FLAG_ONEPACKET) != 0 && p.proto == IpProto.UDP ? IpvsConn.F_ONE_PACKET : 0;
        IpvsConn c = connNew(p.proto, p.src, p.sport, p.dst, p.dport, flags, d);
        c.control = t;
        t.nControl++;
        put(t);
        connStats(c, svc);
        return c;
    }

    /** {@code ip_vs_ct_in_get}: the template of (protocol, masked client, virtual addr/port). */
    private IpvsConn templateGet(int proto, int snet, int vaddr, int vport) {
        for (IpvsConn c = conns.inGet(proto, snet, 0, vaddr, vport); c != null; c = c.nextIn) {
            if ((c.flags & IpvsConn.F_TEMPLATE) != 0) {
                return c;
            }
        }
        return null;
    }

    /**
     * {@code ip_vs_check_template}: invalid when the dest is gone, unavailable, or (with
     * expire_quiescent_template) has weight 0; an invalid template is rehashed with ports 65535
     * and client port 0 so that it is never found again, and expires on its own timer.
     */
    private boolean checkTemplate(IpvsConn t) {
        IpvsDest d = t.dest;
        boolean quiescent = sysctls.get(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE) != 0 && d != null && d.weight == 0;
        if (d == null || !d.available() || quiescent) {
            if (t.vport != 0xffff) {
                if (conns.unhashKeys(t)) {
                    t.dport = 0xffff;
                    t.vport = 0xffff;
                    t.cport = 0;
                    conns.hash(t);
                }
            }
            return false;
        }
        return true;
    }

    /** {@code ip_vs_conn_stats}. */
    private void connStats(IpvsConn c, IpvsService svc) {
        c.dest.stats.conns++;
        svc.stats.conns++;
        total.conns++;
    }

    /** {@code ip_vs_in_stats}. */
    private void inStats(IpvsConn c, Packet p) {
        IpvsDest d = c.dest;
        if (d != null && d.available()) {
            int len = p.ipLength();
            d.stats.inPkts++;
            d.stats.inBytes += len;
            d.svc.stats.inPkts++;
            d.svc.stats.inBytes += len;
            total.inPkts++;
            total.inBytes += len;
        }
    }

    /** {@code ip_vs_out_stats}. */
    private void outStats(IpvsConn c, Packet p) {
        IpvsDest d = c.dest;
        if (d != null && d.available()) {
            int len = p.ipLength();
            d.stats.outPkts++;
            d.stats.outBytes += len;
            d.svc.stats.outPkts++;
            d.svc.stats.outBytes += len;
            total.outPkts++;
            total.outBytes += len;
        }
    }

    /** {@code ip_vs_set_state}: {@code set_tcp_state} / {@code udp_state_transition}. */
    private void setState(IpvsConn c, int dir, Packet p) {
        if (c.proto != IpProto.TCP) {
            c.timeoutJiffies = (long) udpTimeout * HZ;
            return;
        }
        int off = dir;
        if ((c.flags & IpvsConn.F_NOOUTPUT) != 0) {
            if (dir == IpvsTcpStates.DIR_OUTPUT) {
                c.flags &= ~IpvsConn.F_NOOUTPUT;
            } else {
                off = IpvsTcpStates.DIR_INPUT_ONLY;
            }
        }
        int next = IpvsTcpStates.next(defenseTable, off, p.tcpFlags, c.state);
        if (next != c.state) {
            IpvsDest d = c.dest;
            if (d != null) {
                boolean preEst = profile.has(KernelFeature.IPVS_PRE_ESTABLISHED_ACTIVE);
                boolean activeNext = IpvsTcpStates.active(next, preEst);
                if ((c.flags & IpvsConn.F_INACTIVE) == 0 && !activeNext) {
                    d.activeConns--;
                    d.inactConns++;
                    c.flags |= IpvsConn.F_INACTIVE;
                } else if ((c.flags & IpvsConn.F_INACTIVE) != 0 && activeNext) {
                    d.activeConns++;
                    d.inactConns--;
                    c.flags &= ~IpvsConn.F_INACTIVE;
                }
            }
        }
        c.state = next;
        c.timeoutJiffies = (long) tcpTimeouts[next] * HZ;
    }

    /** {@code ip_vs_out}: replies of real servers, rewritten back to the virtual address. */
    Verdict out(Packet p) {
        if (p.ipvsProperty) {
            return Verdict.ACCEPT;
        }
        int proto = p.proto;
        if (proto == IpProto.ICMP) {
            return outIcmp(p);
        }
        if (proto != IpProto.TCP && proto != IpProto.UDP) {
            return Verdict.ACCEPT;
        }
        IpvsConn c = conns.outGet(proto, p.src, p.sport, p.dst, p.dport);
        if (c == null || (c.flags & IpvsConn.F_FWD_MASK) != IpvsDest.FWD_MASQ) {
            return Verdict.ACCEPT;
        }
        // handle_response
        p.src = c.vaddr;
        p.sport = c.vport;
        outStats(c, p);
        setState(c, IpvsTcpStates.DIR_OUTPUT, p);
        p.ipvsProperty = true;
        if ((c.flags & IpvsConn.F_NFCT) == 0) {
            ct.notrack(p);
        }
        put(c);
        return Verdict.ACCEPT;
    }

    /** ICMP source quench ({@code ICMP_SOURCE_QUENCH}). */
    private static final int ICMP_SOURCE_QUENCH = 4;

    /**
     * {@code ip_vs_out_icmp} / {@code handle_response_icmp} / {@code ip_vs_nat_icmp(..., 1)}: an ICMP
     * error about a packet sent to a real server (by the real server, a router, or this node's own
     * neighbour layer) is rewritten so that the client sees it about VIP:vport and from the VIP:
     * outer source, inner destination and inner destination port. The entry's state and timer are
     * left alone.
     */
    private Verdict outIcmp(Packet p) {
        if (p.icmpType != Icmp.DEST_UNREACH && p.icmpType != Icmp.TIME_EXCEEDED && p.icmpType != ICMP_SOURCE_QUENCH) {
            return Verdict.ACCEPT;
        }
        int inner = p.innerProto;
        if (inner != IpProto.TCP && inner != IpProto.UDP) {
            return Verdict.ACCEPT;
        }
        // the quoted header runs client -> real server: look it up inverted, as a reply
        IpvsConn c = conns.outGet(inner, p.innerDst, p.innerDport, p.innerSrc, p.innerSport);
        if (c == null || (c.flags & IpvsConn.F_FWD_MASK) != IpvsDest.FWD_MASQ) {
            return Verdict.ACCEPT;
        }
        p.src = c.vaddr;
        p.innerDst = c.vaddr;
        p.innerDport = c.vport;
        outStats(c, p);
        p.ipvsProperty = true;
        if ((c.flags & IpvsConn.F_NFCT) == 0) {
            ct.notrack(p);
        }
        return Verdict.ACCEPT;
    }
}
