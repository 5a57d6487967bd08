package io.svclab.net.kubeproxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code nft -f} transaction kube-proxy's nftables proxier sends on a full sync for a set of
 * ClusterIP Service ports (pkg/proxy/nftables/proxier.go): table {@code ip kube-proxy}, its sets
 * and verdict maps, the base chains (filter pre-DNAT at −110, filter at 0, nat at dstnat −100
 * and srcnat 100), the helper chains and, per Service port, a {@code service-<hash8>-ns/name/proto/port}
 * chain with the masquerade rule and {@code numgen random mod N vmap}, per endpoint an
 * {@code endpoint-<hash8>-…__ip/port} chain with the hairpin mark and {@code dnat to} (ClientIP
 * affinity: an {@code affinity-…} dynamic set per endpoint, {@code ip saddr @set goto endpoint}
 * before the numgen, {@code update @set { ip saddr }} before the dnat), and the
 * {@code cluster-ips}, {@code service-ips} or {@code no-endpoint-services} elements. Every object
 * is added (idempotent), fixed chains and all sets are flushed and refilled, stale service and
 * endpoint chains are flushed and deleted. Deterministic: services by port name, endpoints by
 * {@code ip:port}.
 */
public final class KubeProxyNftables {

    private static final String T = " ip kube-proxy ";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final KubeProxyIptables.Config config;
    private final String serviceCidr;
    private final List<String> nodeIPs;

    /**
     * @param config the proxier settings shared with the iptables generator
     * @param serviceCidr the Service CIDR for {@code cluster-ips-check}'s drop rule, null = none
     * @param nodeIPs addresses for {@code nodeport-ips}
     */
    public KubeProxyNftables(KubeProxyIptables.Config config, String serviceCidr, List<String> nodeIPs) {
        this.config = config;
        this.serviceCidr = serviceCidr;
        this.nodeIPs = List.copyOf(nodeIPs);
    }

    /** {@code hashAndTruncate}: the first 8 base32 characters of SHA-256 of the name, a dash, the name. */
    public static String hashAndTruncate(String name) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
        StringBuilder b = new StringBuilder(8 + 1 + name.length());
        int buffer = 0;
        int bits = 0;
        int i = 0;
        while (b.length() < 8) {
            if (bits < 5) {
                buffer = (buffer << 8) | (h[i++] & 0xFF);
                bits += 8;
            }
            b.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        String out = b.append('-').append(name).toString();
        return out.length() > 256 ? out.substring(0, 253) + "..." : out;
    }

    /** {@code service-} + {@code servicePortChainNameBase}. */
    public static String serviceChain(ServicePort svc) {
        return "service-" + hashAndTruncate(base(svc));
    }

    /** {@code endpoint-} + {@code servicePortEndpointChainNameBase}. */
    public static String endpointChain(ServicePort svc, String ip, int port) {
        return "endpoint-" + hashAndTruncate(base(svc) + "__" + ip + "/" + port);
    }

    /** {@code affinity-} + the endpoint chain's base: the ClientIP affinity set of an endpoint. */
    public static String affinitySet(ServicePort svc, String ip, int port) {
        return "affinity-" + hashAndTruncate(base(svc) + "__" + ip + "/" + port);
    }

    private static String base(ServicePort svc) {
        return svc.namespace() + "/" + svc.name() + "/" + svc.proto() + "/" + (svc.portName() == null ? "" : svc.portName());
    }

    /** A full sync with nothing stale. */
    public String transaction(List<ServicePort> services) {
        return transaction(services, Set.of());
    }

    /** The service and endpoint chains (and ClientIP affinity sets) a sync of these services creates. */
    public Set<String> serviceChains(List<ServicePort> services) {
        Set<String> out = new TreeSet<>();
        for (ServicePort svc : services) {
            List<ServicePort.Endpoint> eps = KubeProxyIptables.clusterEndpoints(svc, config.terminatingFallback());
            if (eps.isEmpty()) {
                continue;
            }
            out.add(serviceChain(svc));
            for (ServicePort.Endpoint e : eps) {
                out.add(endpointChain(svc, e.ip(), port(svc, e)));
                if (svc.clientIpAffinity()) {
                    out.add(affinitySet(svc, e.ip(), port(svc, e)));
                }
            }
        }
        return out;
    }

    private static int port(ServicePort svc, ServicePort.Endpoint e) {
        return e.port() != 0 ? e.port() : svc.targetPort();
    }

    /**
     * The transaction text. {@code previousChains} are the service and endpoint chains of the
     * previous sync; those no longer used are flushed and deleted.
     *
     * @throws IllegalArgumentException for what the generator does not model (SCTP)
     */
    public String transaction(List<ServicePort> services, Set<String> previousChains) {
        List<ServicePort> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServicePort::servicePortName));
        String mark = config.mark();
        StringBuilder b = new StringBuilder();
        b.append("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n");
        String[][] sets = {
            {"set", "cluster-ips", "ipv4_addr", "Active ClusterIPs"},
            {"set", "nodeport-ips", "ipv4_addr", "IPs that accept NodePort traffic"},
            {"map", "firewall-ips", "ipv4_addr . inet_proto . inet_service : verdict", "destinations that are subject to LoadBalancerSourceRanges"},
            {"map", "no-endpoint-nodeports", "inet_proto . inet_service : verdict", "vmap to drop or reject packets to service nodeports with no endpoints"},
            {"map", "no-endpoint-services", "ipv4_addr . inet_proto . inet_service : verdict", "vmap to drop or reject packets to services with no endpoints"},
            {"map", "service-ips", "ipv4_addr . inet_proto . inet_service : verdict", "ClusterIP, ExternalIP and LoadBalancer IP traffic"},
            {"map", "service-nodeports", "inet_proto . inet_service : verdict", "NodePort traffic"},
        };
        for (String[] s : sets) {
            b.append("add ").append(s[0]).append(T).append(s[1]).append(" { type ").append(s[2]).append(" ; comment \"")
                    .append(s[3]).append("\" ; }\n");
        }
        String[][] chains = {
            {"cluster-ips-check", null},
            {"filter-prerouting-pre-dnat", "type filter hook prerouting priority -110"},
            {"filter-output-pre-dnat", "type filter hook output priority -110"},
            {"filter-forward", "type filter hook forward priority 0"},
            {"filter-input", "type filter hook input priority 0"},
            {"filter-output", "type filter hook output priority 0"},
            {"firewall-check", null},
            {"mark-for-masquerade", null},
            {"masquerading", null},
            {"nat-output", "type nat hook output priority -100"},
            {"nat-postrouting", "type nat hook postrouting priority 100"},
            {"nat-prerouting", "type nat hook prerouting priority -100"},
            {"nodeport-endpoints-check", null},
            {"reject-chain", "comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\""},
            {"services", null},
            {"service-endpoints-check", null},
        };
        for (String[] c : chains) {
            b.append("add chain").append(T).append(c[0]);
            if (c[1] != null) {
                b.append(" { ").append(c[1]).append(" ; }");
            }
            b.append('\n');
        }
        for (String[] c : chains) {
            b.append("flush chain").append(T).append(c[0]).append('\n');
        }
        for (String[] s : sets) {
            b.append("flush ").append(s[0]).append(T).append(s[1]).append('\n');
        }
        String r = "add rule" + T;
        b.append(r).append("cluster-ips-check ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"\n");
        if (serviceCidr != null) {
            b.append(r).append("cluster-ips-check ip daddr { ").append(serviceCidr)
                    .append(" } drop comment \"Drop traffic to unallocated ClusterIPs\"\n");
        }
        b.append(r).append("filter-prerouting-pre-dnat ct state new jump firewall-check\n");
        b.append(r).append("filter-forward ct state new jump service-endpoints-check\n");
        b.append(r).append("filter-forward ct state new jump cluster-ips-check\n");
        b.append(r).append("filter-input ct state new jump nodeport-endpoints-check\n");
        b.append(r).append("filter-input ct state new jump service-endpoints-check\n");
        b.append(r).append("filter-output ct state new jump service-endpoints-check\n");
        b.append(r).append("filter-output-pre-dnat ct state new jump firewall-check\n");
        b.append(r).append("filter-output ct state new jump cluster-ips-check\n");
        b.append(r).append("firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips\n");
        b.append(r).append("mark-for-masquerade mark set mark or ").append(mark).append('\n');
        b.append(r).append("masquerading mark and ").append(mark).append(" == 0 return\n");
        b.append(r).append("masquerading mark set mark xor ").append(mark).append('\n');
        b.append(r).append("masquerading masquerade").append(config.randomFully() ? " fully-random\n" : "\n");
        b.append(r).append("nat-output jump services\n");
        b.append(r).append("nat-postrouting jump masquerading\n");
        b.append(r).append("nat-prerouting jump services\n");
        b.append(r).append("nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports\n");
        b.append(r).append("reject-chain reject\n");
        b.append(r).append("services ip daddr . meta l4proto . th dport vmap @service-ips\n");
        b.append(r).append("services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n");
        for (String ip : nodeIPs) {
            b.append("add element").append(T).append("nodeport-ips { ").append(ip).append(" }\n");
        }
        b.append(r).append("service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services\n");

        Set<String> active = new TreeSet<>();
        for (ServicePort svc : sorted) {
            KubeProxyIptables.check(svc);
            String proto = svc.proto();
            String key = svc.clusterIP() + " . " + proto + " . " + svc.port();
            List<ServicePort.Endpoint> eps = KubeProxyIptables.clusterEndpoints(svc, config.terminatingFallback());
            b.append("add element").append(T).append("cluster-ips { ").append(svc.clusterIP()).append(" }\n");
            if (eps.isEmpty()) {
                b.append("add element").append(T).append("no-endpoint-services { ").append(key).append(" comment \"")
                        .append(svc.servicePortName()).append("\" : goto reject-chain }\n");
                continue;
            }
            String svcChain = serviceChain(svc);
            active.add(svcChain);
            if (svc.clientIpAffinity()) {
                for (ServicePort.Endpoint e : eps) {
                    String as = affinitySet(svc, e.ip(), port(svc, e));
                    active.add(as);
                    b.append("add set").append(T).append(as).append(" { type ipv4_addr ; flags dynamic,timeout ; timeout ")
                            .append(svc.affinitySeconds()).append("s ; }\n");
                }
            }
            b.append("add chain").append(T).append(svcChain).append('\n');
            b.append("flush chain").append(T).append(svcChain).append('\n');
            for (ServicePort.Endpoint e : eps) {
                String ec = endpointChain(svc, e.ip(), port(svc, e));
                b.append("add chain").append(T).append(ec).append('\n');
                b.append("flush chain").append(T).append(ec).append('\n');
            }
            if (config.masqueradeAll()) {
                b.append(r).append(svcChain).append(" ip daddr ").append(svc.clusterIP()).append(" jump mark-for-masquerade\n");
            } else if (config.clusterCidr() != null) {
                b.append(r).append(svcChain).append(" ip daddr ").append(svc.clusterIP()).append(" ip saddr != ")
                        .append(config.clusterCidr()).append(" jump mark-for-masquerade\n");
            }
            if (svc.clientIpAffinity()) {
                for (ServicePort.Endpoint e : eps) {
                    b.append(r).append(svcChain).append(" ip saddr @").append(affinitySet(svc, e.ip(), port(svc, e)))
                            .append(" goto ").append(endpointChain(svc, e.ip(), port(svc, e))).append('\n');
                }
            }
            StringBuilder vmap = new StringBuilder();
            List<String> epChains = new ArrayList<>();
            for (int i = 0; i < eps.size(); i++) {
                ServicePort.Endpoint e = eps.get(i);
                String ec = endpointChain(svc, e.ip(), port(svc, e));
                epChains.add(ec);
                vmap.append(i == 0 ? "" : " , ").append(i).append(" : goto ").append(ec);
            }
            b.append(r).append(svcChain).append(" numgen random mod ").append(eps.size()).append(" vmap { ").append(vmap)
                    .append(" }\n");
            for (int i = 0; i < eps.size(); i++) {
                ServicePort.Endpoint e = eps.get(i);
                String ec = epChains.get(i);
                active.add(ec);
                b.append(r).append(ec).append(" ip saddr ").append(e.ip()).append(" jump mark-for-masquerade\n");
                if (svc.clientIpAffinity()) {
                    b.append(r).append(ec).append(" update @").append(affinitySet(svc, e.ip(), port(svc, e)))
                            .append(" { ip saddr }\n");
                }
                b.append(r).append(ec).append(" meta l4proto ").append(proto).append(" dnat to ").append(e.ip()).append(':')
                        .append(port(svc, e)).append('\n');
            }
            b.append("add element").append(T).append("service-ips { ").append(key).append(" : goto ").append(svcChain)
                    .append(" }\n");
        }
        for (String old : new TreeSet<>(previousChains)) {
            if (!active.contains(old) && (old.startsWith("service-") || old.startsWith("endpoint-"))) {
                b.append("flush chain").append(T).append(old).append('\n');
            }
        }
        for (String old : new TreeSet<>(previousChains)) {
            if (!active.contains(old) && (old.startsWith("service-") || old.startsWith("endpoint-"))) {
                b.append("delete chain").append(T).append(old).append('\n');
            }
        }
        for (String old : new TreeSet<>(previousChains)) {
            if (!active.contains(old) && old.startsWith("affinity-")) {
                b.append("delete set").append(T).append(old).append('\n');
            }
        }
        return b.toString();
    }
}
