package io.svclab.k8s.kubeproxy;

import io.svclab.k8s.ClusterNetwork;
import io.svclab.k8s.EndpointSlice;
import io.svclab.k8s.ServiceSpec;
import io.svclab.kernel.KernelVersion;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetInterface;
import io.svclab.net.NetNamespace;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.iptables.IptablesRestoreException;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsDest;
import io.svclab.net.ipvs.IpvsException;
import io.svclab.net.ipvs.IpvsNfct;
import io.svclab.net.ipvs.IpvsService;
import io.svclab.net.kubeproxy.KubeProxyIptables;
import io.svclab.net.kubeproxy.KubeProxyNftables;
import io.svclab.net.kubeproxy.ServicePort;
import io.svclab.net.nftables.NftablesException;
import io.svclab.net.nftables.NftablesRuleset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-proxy on one node: start-up sysctls, a {@link BoundedFrequencyRunner} sync loop fed by
 * EndpointSlices, and one of three proxiers — iptables and nftables (full syncs with the rule
 * generators of {@code io.svclab.net.kubeproxy}) or IPVS (virtual servers, real servers and the
 * {@link GracefulTerminationManager}) — followed by the UDP conntrack cleanup. See the package
 * documentation for what is modelled.
 */
public final class KubeProxy implements EndpointSlice.Listener {

    /** The proxy mode ({@code --proxy-mode}). */
    public enum Mode { IPTABLES, NFTABLES, IPVS }

    /** {@code burstSyncs} as every kube-proxy proxier passes it to the runner. */
    public static final int BURST_SYNCS = 2;
    /** ClientIP affinity timeout kube-proxy uses by default ({@code timeoutSeconds}). */
    public static final int AFFINITY_SECONDS = 10800;
    /** The Service CIDR the nftables proxier is given. */
    public static final String SERVICE_CIDR = "10.96.0.0/12";
    /** The oldest kernel the nftables proxier runs on (KEP-3866). */
    public static final KernelVersion NFTABLES_MIN_KERNEL = KernelVersion.of(5, 13);

    /**
     * kube-proxy's configuration.
     *
     * @param mode proxy mode
     * @param version kube-proxy version {@code "1.NN"}
     * @param scheduler {@code --ipvs-scheduler} (IPVS mode), kube-proxy default {@code rr}
     * @param syncPeriodNs {@code --iptables-sync-period} / {@code --ipvs-sync-period}, default 30 s
     * @param minSyncPeriodNs the min sync period; −1 = the mode's default ({@link #effectiveMinSyncPeriodNs()})
     * @param masqueradeAll {@code --masquerade-all}
     * @param clusterCidr {@code --cluster-cidr}, the local-traffic detector
     * @param cpus the node's CPUs, for {@code nf_conntrack_max}
     */
    public record Config(Mode mode, String version, String scheduler, long syncPeriodNs, long minSyncPeriodNs,
                         boolean masqueradeAll, String clusterCidr, int cpus) {

        public Config {
            if (mode == Mode.NFTABLES && minor(version) < 29) {
                throw new IllegalArgumentException("kube-proxy nftables mode exists from 1.29, got " + version);
            }
            if (syncPeriodNs <= 0 || minSyncPeriodNs < -1 || cpus < 1) {
                throw new IllegalArgumentException("bad kube-proxy config " + syncPeriodNs + "/" + minSyncPeriodNs + "/" + cpus);
            }
        }

        /** kube-proxy's defaults for a mode and version: rr, 30 s, mode's min sync period, 10.244.0.0/16, 4 CPUs. */
        public static Config defaults(Mode mode, String version) {
            return new Config(mode, version, "rr", 30_000_000_000L, -1, false, "10.244.0.0/16", 4);
        }

        /** The same with another min sync period (−1 = default). */
        public Config withMinSyncPeriodNs(long ns) {
            return new Config(mode, version, scheduler, syncPeriodNs, ns, masqueradeAll, clusterCidr, cpus);
        }

        /** The same with another sync period. */
        public Config withSyncPeriodNs(long ns) {
            return new Config(mode, version, scheduler, ns, minSyncPeriodNs, masqueradeAll, clusterCidr, cpus);
        }

        /** The same with another IPVS scheduler. */
        public Config withScheduler(String s) {
            return new Config(mode, version, s, syncPeriodNs, minSyncPeriodNs, masqueradeAll, clusterCidr, cpus);
        }

        /** The minor version NN of {@code 1.NN}. */
        public int minor() {
            return minor(version);
        }

        private static int minor(String v) {
            if (v == null || !v.matches("1\\.[0-9]{1,2}")) {
                throw new IllegalArgumentException("kube-proxy version must be 1.NN, got " + v);
            }
            return Integer.parseInt(v.substring(2));
        }

        /**
         * The min sync period in force: the configured one, or the default — iptables 1 s from
         * 1.19 (kubernetes PR #92836, 0 before), nftables 1 s, IPVS 0 s (the
         * {@code --ipvs-min-sync-period} flag had no default: every change syncs at once; the
         * spec's "1 s in current docs" is not tied to a version and is not applied — configure it
         * explicitly).
         */
        public long effectiveMinSyncPeriodNs() {
            if (minSyncPeriodNs >= 0) {
                return minSyncPeriodNs;
            }
            return switch (mode) {
                case IPTABLES -> minor() >= 19 ? 1_000_000_000L : 0L;
                case NFTABLES -> 1_000_000_000L;
                case IPVS -> 0L;
            };
        }

        /**
         * Whether serving-terminating endpoints are used when none is ready (KEP-1669 for cluster
         * traffic, on by default from 1.26 in iptables and IPVS; always in nftables).
         */
        public boolean terminatingFallback() {
            return mode == Mode.NFTABLES || minor() >= 26;
        }
    }

    private final Config config;
    private final List<ServiceSpec> services;
    private final NetNamespace ns;
    private final NetInterface ipvsDummy;
    private final KubeProxyIptables iptables;
    private final KubeProxyNftables nftables;
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private final BoundedFrequencyRunner runner;
    private final List<Long> syncTimes = new ArrayList<>();
    private Set<String> previousChains = new TreeSet<>();
    private Ipvs ipvs;
    private GracefulTerminationManager graceful;
    private boolean initialSync = true;
    private boolean started;
    private long udpEntriesDeleted;
    /** Traced only: per Service, the endpoints ({@code ip:port}) the last iptables/nftables sync wrote. */
    private final Map<String, Set<String>> tracedEndpoints = new HashMap<>();

    /** kube-proxy on a cluster node. */
    public KubeProxy(Config config, List<ServiceSpec> services, ClusterNetwork.Node node) {
        this(config, services, node.namespace(), node.ipvsDummy(), node.address());
    }

    /**
     * kube-proxy on any namespace.
     *
     * @param ipvsDummy where IPVS mode binds the ClusterIPs ({@code kube-ipvs0})
     * @param nodeAddress the node IP (nftables {@code nodeport-ips})
     */
    public KubeProxy(Config config, List<ServiceSpec> services, NetNamespace ns, NetInterface ipvsDummy, int nodeAddress) {
        this.config = config;
        this.services = List.copyOf(services);
        this.ns = ns;
        this.ipvsDummy = ipvsDummy;
        KubeProxyIptables.Config cfg = new KubeProxyIptables.Config(config.clusterCidr(), config.masqueradeAll(), false,
                true, 14, config.terminatingFallback());
        this.iptables = new KubeProxyIptables(cfg);
        this.nftables = new KubeProxyNftables(cfg, SERVICE_CIDR, List.of(Ip4.format(nodeAddress)));
        this.runner = new BoundedFrequencyRunner(ns.sim(), this::syncProxyRules, config.effectiveMinSyncPeriodNs(),
                config.syncPeriodNs(), BURST_SYNCS);
    }

    public Config config() {
        return config;
    }

    /**
     * Starts kube-proxy now: writes the start-up sysctls ({@link StartupSysctls}); in IPVS mode
     * binds every ClusterIP on {@code kube-ipvs0}, loads IPVS (when absent) and starts the
     * graceful termination checks; installs conntrack and the rule backend when absent; runs the
     * initial sync (iptables: then the jump rules) and arms the periodic sync. Apply the
     * scenario's own node sysctls after this call.
     */
    public void start() {
        if (started) {
            throw new IllegalStateException("kube-proxy already started on " + ns.name());
        }
        if (config.mode() == Mode.NFTABLES && !ns.sysctls().profile().version().atLeast(NFTABLES_MIN_KERNEL)) {
            throw new IllegalStateException("kube-proxy nftables mode needs kernel 5.13 or later, node runs "
                    + ns.sysctls().profile().version());
        }
        started = true;
        for (Map.Entry<Sysctl, Long> e : StartupSysctls.of(config.mode(), config.minor(),
                ns.sysctls().profile().version(), config.cpus()).entrySet()) {
            ns.sysctls().set(e.getKey(), e.getValue());
        }
        if (ns.attachment(ConntrackTable.class) == null) {
            Conntrack.install(ns);
        }
        if (config.mode() == Mode.NFTABLES) {
            if (ns.attachment(NftablesRuleset.class) == null) {
                NftablesRuleset.install(ns);
            }
        } else if (ns.attachment(IptablesTables.class) == null) {
            IptablesTables.install(ns);
        }
        if (config.mode() == Mode.IPVS) {
            for (ServiceSpec s : services) {
                if (!ns.isLocal(s.clusterIP())) {
                    ns.addAddress(ipvsDummy, s.clusterIP(), 32);
                }
            }
            ipvs = Ipvs.of(ns);
            if (ipvs == null) {
                ipvs = Ipvs.install(ns, IpvsNfct.of(ns));
            }
            graceful = new GracefulTerminationManager(ns.sim(), ipvs);
            graceful.start();
        }
        syncProxyRules();
        if (config.mode() == Mode.IPTABLES) {
            restore(iptables.jumpRules());
        }
        runner.loop();
    }

    /** A Service's new slice (already delayed by the watch delay): recorded, then a sync is requested. */
    @Override
    public void onSlice(EndpointSlice slice) {
        EndpointSlice old = slices.get(slice.service());
        if (old != null && old.generation() > slice.generation()) {
            return;
        }
        slices.put(slice.service(), slice);
        if (started) {
            runner.run();
        }
    }

    /** Instants of every sync so far (ns), the initial one included. */
    public List<Long> syncTimes() {
        return List.copyOf(syncTimes);
    }

    /** The sync runner. */
    public BoundedFrequencyRunner runner() {
        return runner;
    }

    /** The graceful termination manager (IPVS mode, after {@link #start()}), else null. */
    public GracefulTerminationManager gracefulTermination() {
        return graceful;
    }

    /** UDP conntrack entries deleted by the cleanup so far. */
    public long udpEntriesDeleted() {
        return udpEntriesDeleted;
    }

    /** Every Service port with every endpoint of its slice and their conditions. */
    public List<ServicePort> servicePorts() {
        List<ServicePort> out = new ArrayList<>();
        for (ServiceSpec s : services) {
            List<ServicePort.Endpoint> eps = new ArrayList<>();
            EndpointSlice slice = slices.get(s.name());
            if (slice != null) {
                for (EndpointSlice.Endpoint e : slice.endpoints()) {
                    eps.add(new ServicePort.Endpoint(Ip4.format(e.ip()), e.port(), e.ready(), e.serving(), e.terminating()));
                }
            }
            out.add(new ServicePort("default", s.name(), "", Ip4.format(s.clusterIP()), s.port(), s.targetPort(),
                    s.protocol(), s.sessionAffinity(), eps, AFFINITY_SECONDS));
        }
        return out;
    }

    /** {@code syncProxyRules}: one full sync of the mode's proxier, then the UDP conntrack cleanup. */
    private void syncProxyRules() {
        syncTimes.add(ns.now());
        List<ServicePort> ports = servicePorts();
        switch (config.mode()) {
            case IPTABLES -> {
                restore(iptables.restoreText(ports, previousChains));
                previousChains = iptables.natChains(ports);
            }
            case NFTABLES -> {
                String text = nftables.transaction(ports, previousChains);
                try {
                    ns.attachment(NftablesRuleset.class).apply(text);
                } catch (NftablesException e) {
                    throw new IllegalStateException("generated nft text refused on " + ns.name() + ": " + e.getMessage()
                            + "\n" + text, e);
                }
                previousChains = nftables.serviceChains(ports);
            }
            case IPVS -> syncIpvs(ports);
        }
        if (config.mode() != Mode.IPVS && ns.trace().enabled()) {
            traceEndpoints(ports);
        }
        initialSync = false;
        cleanStaleUdp(ports);
    }

    /**
     * Traces, per Service, the endpoints a rule sync put into or took out of the Service's rules
     * (its {@code KUBE-SVC}/{@code service-} chain): a connection DNATed to a gone pod is explained by
     * the instant its endpoint left the rules (or had not yet).
     */
    private void traceEndpoints(List<ServicePort> ports) {
        for (ServicePort sp : ports) {
            Set<String> now = new TreeSet<>();
            for (ServicePort.Endpoint e : KubeProxyIptables.clusterEndpoints(sp, config.terminatingFallback())) {
                now.add(KubeProxyIptables.endpointString(sp, e));
            }
            Set<String> before = tracedEndpoints.getOrDefault(sp.name(), Set.of());
            for (String ep : before) {
                if (!now.contains(ep)) {
                    traceEndpoint(sp, ep, "removed from");
                }
            }
            for (String ep : now) {
                if (!before.contains(ep)) {
                    traceEndpoint(sp, ep, "added to");
                }
            }
            tracedEndpoints.put(sp.name(), now);
        }
    }

    private void traceEndpoint(ServicePort sp, String ep, String how) {
        int colon = ep.lastIndexOf(':');
        boolean removed = how.startsWith("removed");
        ns.trace().emit(new io.svclab.net.trace.Decided(ns.now(), ns.name(), 0,
                io.svclab.net.trace.Decided.Kind.PROXY_ENDPOINT, "endpoint " + ep + " " + how + " the rules of "
                + sp.name() + " (" + config.mode().name().toLowerCase(java.util.Locale.ROOT) + " sync)",
                null, Ip4.parse(ep.substring(0, colon)), Integer.parseInt(ep.substring(colon + 1)), removed ? 0 : 1));
    }

    private void restore(String text) {
        try {
            ns.attachment(IptablesTables.class).restore(text, true);
        } catch (IptablesRestoreException e) {
            throw new IllegalStateException("generated rules refused on " + ns.name() + ": " + e.getMessage() + "\n" + text, e);
        }
    }

    static int proto(String protocol) {
        return switch (protocol) {
            case "TCP" -> IpProto.TCP;
            case "UDP" -> IpProto.UDP;
            default -> throw new IllegalArgumentException("protocol not modelled: " + protocol);
        };
    }

    /** {@code GetUniqueRSName}: {@code TCP/vip:port/ip:port}. */
    static String uniqueRs(int proto, int vaddr, int vport, int raddr, int rport) {
        return (proto == IpProto.TCP ? "TCP" : "UDP") + "/" + Ip4.endpoint(vaddr, vport) + "/" + Ip4.endpoint(raddr, rport);
    }

    /** {@code syncService} and {@code syncEndpoint} for every Service port. */
    private void syncIpvs(List<ServicePort> ports) {
        try {
            for (int i = 0; i < ports.size(); i++) {
                ServicePort sp = ports.get(i);
                int vip = services.get(i).clusterIP();
                int proto = proto(sp.protocol());
                int persist = sp.clientIpAffinity() ? sp.affinitySeconds() : 0;
                IpvsService vs = ipvs.service(proto, vip, sp.port());
                if (vs == null) {
                    vs = ipvs.addService(proto, vip, sp.port(), config.scheduler(), 0, persist, 0xffffffff);
                } else if (!vs.schedulerName().equals(config.scheduler()) || vs.persistenceTimeout() != persist
                        || vs.persistent() != (persist > 0)) {
                    ipvs.editService(proto, vip, sp.port(), config.scheduler(), 0, persist, 0xffffffff);
                }
                syncEndpoints(vs, sp);
            }
        } catch (IpvsException e) {
            throw new IllegalStateException("IPVS sync on " + ns.name() + ": " + e.getMessage(), e);
        }
    }

    private void syncEndpoints(IpvsService vs, ServicePort sp) throws IpvsException {
        TreeSet<String> wanted = new TreeSet<>();
        Map<String, int[]> addr = new HashMap<>();
        for (ServicePort.Endpoint e : KubeProxyIptables.clusterEndpoints(sp, config.terminatingFallback())) {
            int ip = Ip4.parse(e.ip());
            int port = e.port() != 0 ? e.port() : sp.targetPort();
            String key = Ip4.endpoint(ip, port);
            wanted.add(key);
            addr.put(key, new int[] {ip, port});
        }
        Map<String, IpvsDest> current = new HashMap<>();
        for (IpvsDest d : vs.dests()) {
            current.put(Ip4.endpoint(d.addr(), d.port()), d);
        }
        // new endpoints, in sorted "ip:port" order
        for (String key : wanted) {
            int[] a = addr.get(key);
            IpvsDest cur = current.get(key);
            if (cur != null) {
                if (initialSync) {
                    ipvs.editDest(vs, a[0], a[1], IpvsDest.FWD_MASQ, 1, 0, 0);
                }
                String unique = uniqueRs(vs.proto(), vs.addr(), vs.port(), a[0], a[1]);
                if (!graceful.inTerminationList(unique)) {
                    continue;
                }
                graceful.moveOutOfList(unique);
            }
            ipvs.addDest(vs, a[0], a[1], IpvsDest.FWD_MASQ, 1, 0, 0);
        }
        // old endpoints
        List<String> gone = new ArrayList<>(current.keySet());
        gone.removeAll(wanted);
        gone.sort(null);
        for (String key : gone) {
            IpvsDest d = current.get(key);
            String unique = uniqueRs(vs.proto(), vs.addr(), vs.port(), d.addr(), d.port());
            if (graceful.inTerminationList(unique)) {
                continue;
            }
            graceful.gracefulDeleteRs(vs, d.addr(), d.port());
        }
    }

    /**
     * {@code CleanStaleEntries} for UDP Service ports: deletes the conntrack entries whose
     * original destination is the ClusterIP and port and whose reply source is not one of the
     * endpoints in use. TCP entries are never deleted.
     */
    private void cleanStaleUdp(List<ServicePort> ports) {
        ConntrackTable table = ns.attachment(ConntrackTable.class);
        if (table == null) {
            return;
        }
        Map<Long, Set<Long>> serving = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort sp = ports.get(i);
            if (proto(sp.protocol()) != IpProto.UDP) {
                continue;
            }
            Set<Long> eps = new TreeSet<>();
            for (ServicePort.Endpoint e : KubeProxyIptables.clusterEndpoints(sp, config.terminatingFallback())) {
                eps.add(key(Ip4.parse(e.ip()), e.port() != 0 ? e.port() : sp.targetPort()));
            }
            serving.put(key(services.get(i).clusterIP(), sp.port()), eps);
        }
        if (serving.isEmpty()) {
            return;
        }
        for (Conn c : table.entries()) {
            if (c.proto != IpProto.UDP) {
                continue;
            }
            Set<Long> eps = serving.get(key(c.origDst, c.origDport));
            if (eps != null && !eps.contains(key(c.replySrc(), c.replySport())) && table.delete(c)) {
                udpEntriesDeleted++;
            }
        }
    }

    private static long key(int ip, int port) {
        return (Integer.toUnsignedLong(ip) << 16) | port;
    }
}
