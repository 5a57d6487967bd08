package io.svclab.k8s;

import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.iptables.IptablesRestoreException;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.kubeproxy.KubeProxyIptables;
import io.svclab.net.kubeproxy.KubeProxyNftables;
import io.svclab.net.kubeproxy.ServicePort;
import io.svclab.net.nftables.NftablesException;
import io.svclab.net.nftables.NftablesRuleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-proxy in iptables or nftables mode, reduced to its rule writing: at start it installs the
 * jump rules, and whenever the ready endpoints of a Service change it writes the full rule set
 * for every Service on every node, at that very instant, with the rule generators
 * ({@link KubeProxyIptables}, {@link KubeProxyNftables}) and the real restore semantics
 * ({@code iptables-restore --noflush}, {@code nft -f}). Superseded by
 * {@link io.svclab.k8s.kubeproxy.KubeProxy} (sync loop, start-up sysctls, IPVS mode).
 */
public final class StaticProxier implements Endpoints.Listener {

    /** Which rule backend the proxier writes. */
    public enum Mode { IPTABLES, NFTABLES }

    private static final String CLUSTER_CIDR = "10.244.0.0/16";
    private static final String SERVICE_CIDR = "10.96.0.0/12";

    private final Mode mode;
    private final List<NetNamespace> nodes;
    private final List<ServiceSpec> services;
    private final Endpoints endpoints;
    private final KubeProxyIptables iptables;
    private final KubeProxyNftables nftables;
    private Set<String> previousChains = new TreeSet<>();
    private long syncs;

    public StaticProxier(Mode mode, List<NetNamespace> nodes, List<Integer> nodeAddresses, List<ServiceSpec> services,
                         Endpoints endpoints) {
        this.mode = mode;
        this.nodes = List.copyOf(nodes);
        this.services = List.copyOf(services);
        this.endpoints = endpoints;
        KubeProxyIptables.Config cfg = KubeProxyIptables.Config.defaults(CLUSTER_CIDR);
        this.iptables = new KubeProxyIptables(cfg);
        List<String> ips = new ArrayList<>();
        for (int a : nodeAddresses) {
            ips.add(Ip4.format(a));
        }
        this.nftables = new KubeProxyNftables(cfg, SERVICE_CIDR, ips);
    }

    /** Writes the first full sync, then (iptables) the jump rules into the built-in chains, once. */
    public void start() {
        sync();
        if (mode == Mode.IPTABLES) {
            for (NetNamespace n : nodes) {
                restore(n, iptables.jumpRules());
            }
        }
        endpoints.addListener(this);
    }

    @Override
    public void endpointsChanged() {
        sync();
    }

    /** Number of full syncs written. */
    public long syncs() {
        return syncs;
    }

    private List<ServicePort> servicePorts() {
        List<ServicePort> out = new ArrayList<>();
        for (ServiceSpec s : services) {
            List<ServicePort.Endpoint> eps = new ArrayList<>();
            for (Pod p : endpoints.ready(s.name())) {
                eps.add(ServicePort.Endpoint.ready(Ip4.format(p.ip()), s.targetPort()));
            }
            out.add(new ServicePort("default", s.name(), "", Ip4.format(s.clusterIP()), s.port(), s.targetPort(),
                    s.protocol(), s.sessionAffinity(), eps));
        }
        return out;
    }

    private void sync() {
        List<ServicePort> ports = servicePorts();
        syncs++;
        if (mode == Mode.IPTABLES) {
            String text = iptables.restoreText(ports, previousChains);
            for (NetNamespace n : nodes) {
                restore(n, text);
            }
            previousChains = iptables.natChains(ports);
        } else {
            String text = nftables.transaction(ports, previousChains);
            for (NetNamespace n : nodes) {
                NftablesRuleset rs = n.attachment(NftablesRuleset.class);
                try {
                    rs.apply(text);
                } catch (NftablesException e) {
                    throw new IllegalStateException("generated nft text refused on " + n.name() + ": " + e.getMessage()
                            + "\n" + text, e);
                }
            }
            previousChains = nftables.serviceChains(ports);
        }
    }

    private static void restore(NetNamespace n, String text) {
        try {
            n.attachment(IptablesTables.class).restore(text, true);
        } catch (IptablesRestoreException e) {
            throw new IllegalStateException("generated rules refused on " + n.name() + ": " + e.getMessage() + "\n" + text, e);
        }
    }
}
