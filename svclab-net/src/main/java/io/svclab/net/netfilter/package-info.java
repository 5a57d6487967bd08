/**
 * Netfilter hook chains.
 *
 * <h2>Model</h2>
 * Per namespace and hook (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) an ordered array of
 * named {@link io.svclab.net.netfilter.HookEntry}s: ascending priority, equal priorities in
 * registration order ({@code nf_hook_entries_grow}); {@code run} stops at the first verdict that
 * is not ACCEPT ({@code nf_hook_slow}). Priorities are the kernel's
 * ({@link io.svclab.net.netfilter.NfPriority}: conntrack −200, mangle −150, DNAT −100, filter 0,
 * SNAT 100, IPVS 98/99 at INPUT and −99/−98 at OUTPUT, confirm INT_MAX). This package knows no
 * concrete hook function: conntrack, NAT, iptables and IPVS register theirs.
 *
 * <h2>Scope and limitations</h2>
 * Verdicts ACCEPT, DROP, STOLEN; NF_QUEUE and NF_REPEAT are not modelled.
 *
 * <h2>Kernel references</h2>
 * include/uapi/linux/netfilter_ipv4.h ({@code nf_ip_hook_priorities}); net/netfilter/core.c;
 * net/netfilter/ipvs/ip_vs_core.c ({@code ip_vs_ops4[]}).
 *
 * <h2>Validation</h2>
 * {@code HookChainTest}, {@code IpPathTest}.
 */
package io.svclab.net.netfilter;
