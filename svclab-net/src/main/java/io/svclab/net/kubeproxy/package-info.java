/**
 * kube-proxy's rules as text, generated from plain records.
 *
 * <h2>Model</h2>
 * {@link io.svclab.net.kubeproxy.ServicePort} holds a Service port and its endpoints with their
 * EndpointSlice conditions. {@link io.svclab.net.kubeproxy.KubeProxyIptables} writes the
 * {@code iptables-restore --noflush} input of kube-proxy's iptables proxier for ClusterIP services
 * ({@code syncProxyRules}): filter KUBE-SERVICES REJECT for a service port without endpoints,
 * KUBE-FORWARD (INVALID drop unless be_liberal, mark accept, RELATED,ESTABLISHED accept); nat
 * KUBE-POSTROUTING, KUBE-MARK-MASQ, KUBE-SERVICES jumps, KUBE-SVC-&lt;hash16&gt; with the
 * local-traffic masquerade rule and the statistic cascade ({@code %0.10f} of 1/(N−i), last
 * unconditional), KUBE-SEP-&lt;hash16&gt; with the hairpin mark and the DNAT, the final
 * KUBE-NODEPORTS rule, and deletion of stale KUBE-SVC/KUBE-SEP chains; ClientIP affinity as
 * {@code -m recent --rcheck --seconds T --reap} jumps before the cascade and
 * {@code -m recent --set} before the DNAT; plus the start-up jump
 * rules ({@code iptablesJumpChains}) as {@code -I CHAIN 1} lines.
 * {@link io.svclab.net.kubeproxy.KubeProxyNftables} writes the {@code nft -f} input of the
 * nftables proxier for the same records (ClientIP affinity as per-endpoint dynamic sets with a
 * timeout, {@code ip saddr @affinity-… goto endpoint-…} and {@code update @affinity-… { ip saddr }}). Endpoints used: ready ones, else (fallback switch)
 * serving-and-terminating ones ({@code CategorizeEndpoints}); sorted by {@code ip:port}, services
 * by service port name, so output is deterministic where kube-proxy iterates maps.
 * {@link io.svclab.net.kubeproxy.KubeProxyNames} computes the chain names exactly as kube-proxy.
 *
 * <h2>Scope and limitations</h2>
 * ClusterIP only: no NodePort, ExternalIP, LoadBalancer, external or internal traffic policy
 * Local, topology hints; TCP and UDP (SCTP refused). The masquerade mark prints as {@code 0x4000} (kube-proxy's
 * own formatting is {@code %#08x}, {@code 0x004000}; iptables reads both the same). Jump rules are
 * not idempotent: apply them once (kube-proxy's EnsureRule checks first). Partial syncs are not
 * modelled: every text is a full sync.
 *
 * <h2>References</h2>
 * kubernetes pkg/proxy/iptables/proxier.go ({@code syncProxyRules},
 * {@code servicePortPolicyClusterChain}, {@code servicePortEndpointChainName},
 * {@code computeProbability}, {@code iptablesJumpChains}); pkg/proxy/nftables/proxier.go
 * ({@code servicePortChainNameBase}, {@code hashAndTruncate}) and its proxier_test.go
 * ({@code baseRules}, {@code TestOverallNFTablesRules}); pkg/proxy/topology.go
 * ({@code CategorizeEndpoints}).
 *
 * <h2>Validation</h2>
 * {@code KubeProxyIptablesTest}: chain hashes equal kube-proxy's test fixtures
 * (ns1/svc1:p80 → KUBE-SVC-XPGD46QRK7WJZT7O, KUBE-SEP-SXIVWICOYRO3J4NJ); literal text for a
 * 3-endpoint service and for none; the reject rule as iptables-save prints it; jump order; 30000
 * seeded connections spread within 5 binomial standard deviations of 1/3 each; a ClientIP client
 * stays on one backend for 40 connections a second apart within a 60 s timeout.
 * {@code KubeProxyNftablesTest}: names equal the nftables fixtures (ULMVA6XW, 5OJB2KTY).
 */
package io.svclab.net.kubeproxy;
