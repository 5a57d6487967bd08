package io.svclab.net.kubeproxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The iptables-restore text kube-proxy's iptables proxier writes for a set of Service ports
 * ({@code syncProxyRules}, pkg/proxy/iptables/proxier.go, ClusterIP services): the filter and
 * nat tables' KUBE-* chains, per Service port a {@code KUBE-SVC-} chain with the statistic
 * cascade and per endpoint a {@code KUBE-SEP-} chain with the hairpin mark and the DNAT.
 * Services are written in order of their service port name and endpoints in order of their
 * {@code ip:port} string, so the text is deterministic.
 */
public final class KubeProxyIptables {

    /**
     * The proxier's settings that shape the rules.
     *
     * @param clusterCidr pod CIDR of the local-traffic detector ({@code ! -s CIDR -j KUBE-MARK-MASQ}), null = none
     * @param masqueradeAll {@code --masquerade-all}: mark every ClusterIP packet for masquerade
     * @param conntrackTcpBeLiberal omit {@code KUBE-FORWARD --ctstate INVALID -j DROP}
     * @param randomFully whether iptables supports {@code MASQUERADE --random-fully}
     * @param masqueradeBit {@code --iptables-masquerade-bit}, default 14 (mark 0x4000)
     * @param terminatingFallback use serving-terminating endpoints when none is ready (kube-proxy 1.26+)
     */
    public record Config(String clusterCidr, boolean masqueradeAll, boolean conntrackTcpBeLiberal, boolean randomFully,
                         int masqueradeBit, boolean terminatingFallback) {

        /** kube-proxy's defaults with a cluster CIDR detector. */
        public static Config defaults(String clusterCidr) {
            return new Config(clusterCidr, false, false, true, 14, true);
        }

        /** The mark as the rules print it, {@code 0x4000}. */
        public String mark() {
            return "0x" + Integer.toHexString(1 << masqueradeBit);
        }
    }

    private final Config config;

    /** A generator with the proxier's settings. */
    public KubeProxyIptables(Config config) {
        this.config = config;
    }

    /**
     * The endpoints kube-proxy uses for cluster traffic ({@code CategorizeEndpoints}): the ready
     * ones; when none is ready and the fallback is on, the serving and terminating ones. Sorted by
     * {@code ip:port}.
     */
    public static List<ServicePort.Endpoint> clusterEndpoints(ServicePort svc, boolean terminatingFallback) {
        List<ServicePort.Endpoint> out = new ArrayList<>();
        for (ServicePort.Endpoint e : svc.endpoints()) {
            if (e.ready()) {
                out.add(e);
            }
        }
        if (out.isEmpty() && terminatingFallback) {
            for (ServicePort.Endpoint e : svc.endpoints()) {
                if (e.serving() && e.terminating()) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(e -> endpointString(svc, e)));
        return out;
    }

    /** {@code ip:port} of an endpoint, the Service's targetPort when the endpoint has none. */
    public static String endpointString(ServicePort svc, ServicePort.Endpoint e) {
        return e.ip() + ":" + (e.port() != 0 ? e.port() : svc.targetPort());
    }

    /** {@code computeProbability}: {@code %0.10f} of 1/n. */
    public static String probability(int n) {
        return String.format(Locale.ROOT, "%.10f", 1.0 / n);
    }

    /**
     * The jump rules kube-proxy ensures once at start-up ({@code iptablesJumpChains}, each added
     * with {@code EnsureRule(Prepend)}), as a restore text of {@code -I CHAIN 1} lines in the same
     * order, so the resulting rule order is the real one. Apply it once, after the first
     * {@link #restoreText} (which declares the chains it jumps to; declaring them here would
     * flush them, as {@code :CHAIN} lines do); unlike EnsureRule it does not check whether the
     * rule exists already.
     */
    public String jumpRules() {
        StringBuilder b = new StringBuilder();
        b.append("*filter\n");
        jump(b, "INPUT", "-m conntrack --ctstate NEW ", "kubernetes externally-visible service portals", "KUBE-EXTERNAL-SERVICES");
        jump(b, "FORWARD", "-m conntrack --ctstate NEW ", "kubernetes externally-visible service portals", "KUBE-EXTERNAL-SERVICES");
        jump(b, "INPUT", "", "kubernetes health check service ports", "KUBE-NODEPORTS");
        jump(b, "FORWARD", "-m conntrack --ctstate NEW ", "kubernetes service portals", "KUBE-SERVICES");
        jump(b, "OUTPUT", "-m conntrack --ctstate NEW ", "kubernetes service portals", "KUBE-SERVICES");
        jump(b, "FORWARD", "", "kubernetes forwarding rules", "KUBE-FORWARD");
        jump(b, "INPUT", "-m conntrack --ctstate NEW ", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL");
        jump(b, "OUTPUT", "-m conntrack --ctstate NEW ", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL");
        jump(b, "FORWARD", "-m conntrack --ctstate NEW ", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL");
        b.append("COMMIT\n*nat\n");
        jump(b, "OUTPUT", "", "kubernetes service portals", "KUBE-SERVICES");
        jump(b, "PREROUTING", "", "kubernetes service portals", "KUBE-SERVICES");
        jump(b, "POSTROUTING", "", "kubernetes postrouting rules", "KUBE-POSTROUTING");
        b.append("COMMIT\n");
        return b.toString();
    }

    private static void jump(StringBuilder b, String chain, String extra, String comment, String to) {
        b.append("-I ").append(chain).append(" 1 ").append(extra).append("-m comment --comment \"").append(comment)
                .append("\" -j ").append(to).append('\n');
    }

    /** A full sync with nothing stale to delete. */
    public String restoreText(List<ServicePort> services) {
        return restoreText(services, Set.of());
    }

    /**
     * A full sync ({@code iptables-restore --noflush} input). {@code previousNatChains} are the
     * nat chains of the previous sync: those KUBE-SVC-/KUBE-SEP- chains no longer used are
     * flushed and deleted, as kube-proxy does.
     *
     * @throws IllegalArgumentException for what the generator does not model (SCTP)
     */
    public String restoreText(List<ServicePort> services, Set<String> previousNatChains) {
        List<ServicePort> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServicePort::servicePortName));
        String mark = config.mark();
        StringBuilder filterRules = new StringBuilder();
        StringBuilder natChains = new StringBuilder();
        StringBuilder natRules = new StringBuilder();
        Set<String> active = new TreeSet<>();
        for (String c : new String[] {"KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"}) {
            natChains.append(':').append(c).append(" - [0:0]\n");
        }
        natRules.append("-A KUBE-POSTROUTING -m mark ! --mark ").append(mark).append('/').append(mark).append(" -j RETURN\n");
        natRules.append("-A KUBE-POSTROUTING -j MARK --xor-mark ").append(mark).append('\n');
        natRules.append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE")
                .append(config.randomFully() ? " --random-fully\n" : "\n");
        natRules.append("-A KUBE-MARK-MASQ -j MARK --or-mark ").append(mark).append('\n');

        for (ServicePort svc : sorted) {
            check(svc);
            String spn = svc.servicePortName();
            String proto = svc.proto();
            String match = "-m " + proto + " -p " + proto + " -d " + svc.clusterIP() + " --dport " + svc.port();
            List<ServicePort.Endpoint> eps = clusterEndpoints(svc, config.terminatingFallback());
            if (eps.isEmpty()) {
                filterRules.append("-A KUBE-SERVICES -m comment --comment \"").append(spn).append(" has no endpoints\" ")
                        .append(match).append(" -j REJECT\n");
                continue;
            }
            String svcChain = KubeProxyNames.serviceChain(spn, proto);
            natChains.append(':').append(svcChain).append(" - [0:0]\n");
            active.add(svcChain);
            String clusterComment = "-m comment --comment \"" + spn + " cluster IP\" ";
            natRules.append("-A KUBE-SERVICES ").append(clusterComment).append(match).append(" -j ").append(svcChain).append('\n');
            if (config.masqueradeAll()) {
                natRules.append("-A ").append(svcChain).append(' ').append(clusterComment).append(match)
                        .append(" -j KUBE-MARK-MASQ\n");
            } else if (config.clusterCidr() != null) {
                natRules.append("-A ").append(svcChain).append(' ').append(clusterComment).append(match)
                        .append(" ! -s ").append(config.clusterCidr()).append(" -j KUBE-MARK-MASQ\n");
            }
            int n = eps.size();
            List<String> sepChains = new ArrayList<>(n);
            for (ServicePort.Endpoint e : eps) {
                sepChains.add(KubeProxyNames.endpointChain(spn, proto, endpointString(svc, e)));
            }
            if (svc.clientIpAffinity()) {
                for (int i = 0; i < n; i++) {
                    natRules.append("-A ").append(svcChain).append(" -m comment --comment \"").append(spn).append(" -> ")
                            .append(endpointString(svc, eps.get(i))).append("\" -m recent --name ").append(sepChains.get(i))
                            .append(" --rcheck --seconds ").append(svc.affinitySeconds()).append(" --reap -j ")
                            .append(sepChains.get(i)).append('\n');
                }
            }
            for (int i = 0; i < n; i++) {
                String ep = endpointString(svc, eps.get(i));
                String sep = sepChains.get(i);
                natRules.append("-A ").append(svcChain).append(" -m comment --comment \"").append(spn).append(" -> ")
                        .append(ep).append('"');
                if (i < n - 1) {
                    natRules.append(" -m statistic --mode random --probability ").append(probability(n - i));
                }
                natRules.append(" -j ").append(sep).append('\n');
            }
            for (int i = 0; i < n; i++) {
                ServicePort.Endpoint e = eps.get(i);
                String sep = sepChains.get(i);
                natChains.append(':').append(sep).append(" - [0:0]\n");
                active.add(sep);
                natRules.append("-A ").append(sep).append(" -m comment --comment ").append(spn).append(" -s ")
                        .append(e.ip()).append(" -j KUBE-MARK-MASQ\n");
                natRules.append("-A ").append(sep).append(" -m comment --comment ").append(spn);
                if (svc.clientIpAffinity()) {
                    natRules.append(" -m recent --name ").append(sep).append(" --set");
                }
                natRules.append(" -m ").append(proto)
                        .append(" -p ").append(proto).append(" -j DNAT --to-destination ").append(endpointString(svc, e))
                        .append('\n');
            }
        }
        for (String old : new TreeSet<>(previousNatChains)) {
            if (!active.contains(old) && (old.startsWith("KUBE-SVC-") || old.startsWith("KUBE-SEP-"))) {
                natChains.append(':').append(old).append(" - [0:0]\n");
                natRules.append("-X ").append(old).append('\n');
            }
        }
        natRules.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\""
                + " -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");

        StringBuilder b = new StringBuilder();
        b.append("*filter\n");
        for (String c : new String[] {"KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS",
                "KUBE-PROXY-FIREWALL"}) {
            b.append(':').append(c).append(" - [0:0]\n");
        }
        b.append(filterRules);
        if (!config.conntrackTcpBeLiberal()) {
            b.append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n");
        }
        b.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ").append(mark)
                .append('/').append(mark).append(" -j ACCEPT\n");
        b.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        b.append("COMMIT\n*nat\n").append(natChains).append(natRules).append("COMMIT\n");
        return b.toString();
    }

    /** The KUBE-SVC-/KUBE-SEP- chains a sync of these services creates (for the next sync's stale-chain deletion). */
    public Set<String> natChains(List<ServicePort> services) {
        Set<String> out = new TreeSet<>();
        for (ServicePort svc : services) {
            List<ServicePort.Endpoint> eps = clusterEndpoints(svc, config.terminatingFallback());
            if (eps.isEmpty()) {
                continue;
            }
            out.add(KubeProxyNames.serviceChain(svc.servicePortName(), svc.proto()));
            for (ServicePort.Endpoint e : eps) {
                out.add(KubeProxyNames.endpointChain(svc.servicePortName(), svc.proto(), endpointString(svc, e)));
            }
        }
        return out;
    }

    static void check(ServicePort svc) {
        if (!svc.protocol().equals("TCP") && !svc.protocol().equals("UDP")) {
            throw new IllegalArgumentException("protocol " + svc.protocol() + " of " + svc.servicePortName()
                    + " is not modelled (TCP, UDP)");
        }
    }
}
