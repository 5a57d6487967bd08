/**
 * nftables: the {@code ip} family tables of a namespace, changed with {@code nft -f}
 * transactions and evaluated on packets.
 *
 * <h2>Model</h2>
 * {@link io.svclab.net.nftables.NftablesRuleset#install} attaches the ruleset. A transaction is
 * read completely into working copies and committed only when every command was accepted
 * (nft submits the file as one batch). Commands: {@code add|create table|chain|set|map|rule|element},
 * {@code insert rule}, {@code flush chain|set|map|table|ruleset},
 * {@code delete|destroy table|chain|set|map|element}, and the block form
 * {@code table ip t { chain c { type …; policy …; rules } set s { … } }}. Chains: regular, or
 * base chains of type filter (any hook) or nat (prerouting, input, output, postrouting) with a
 * numeric or named priority ({@code raw mangle dstnat filter security srcnat}, with
 * {@code + N}/{@code - N}). Each filter base chain is a hook function
 * {@code nft/<table>/<chain>} at its hook and priority; nat base chains run in priority order as
 * the namespace's {@link io.svclab.net.nat.NatRuleTable} until one sets up a NAT binding or
 * drops. Expressions: {@code ip saddr|daddr [!=] addr[/len] | @set | { … }},
 * {@code meta l4proto}, {@code tcp|udp|th dport|sport}, concatenated lookups
 * {@code ip daddr . meta l4proto . th dport vmap @map} (and {@code meta l4proto . th dport}),
 * {@code ct state}, {@code mark [and M] [==|!=] V}, {@code mark set mark or|xor|and V},
 * {@code fib saddr|daddr type local}, {@code numgen random|inc mod N vmap { … }} (random:
 * {@code reciprocal_scale(prandom_u32, N)} on the stream {@code nftables/<ns>/numgen}; inc from
 * 0), {@code update|add @set { ip saddr|daddr }} on sets with {@code flags dynamic,timeout}
 * (an element expires once its expiry, refreshed by each update, is not after the simulation
 * time: {@code nft_set_elem_expired}), {@code counter}, {@code comment}, verdicts {@code accept drop return continue jump goto},
 * {@code reject [with icmp type …]} (ICMP destination unreachable, then drop),
 * {@code dnat to ip[:port]}, {@code snat to ip[:port]},
 * {@code masquerade [random] [fully-random] [persistent] [to :p[-q]]} (address by
 * {@code inet_select_addr} like iptables). Traversal ({@code nft_do_chain}): jump returns to the
 * next rule, goto does not, the end of a base chain applies its policy; NAT statements end the
 * traversal. Checks: unknown tables, chains, sets; verdicts to missing chains; jumps to base
 * chains; loops; deleting a chain, set or map still referenced (a chain's own rules go with it,
 * as {@code nf_tables_delchain} does); element types against the set's key type; prefixes only
 * in interval sets. Errors are {@link io.svclab.net.nftables.NftablesException} with the line
 * number. Evaluation allocates nothing (MASQUERADE rebuilds its range only when the address
 * changes).
 *
 * <h2>Scope and limitations</h2>
 * Family ip only (ip6, inet, arp, bridge, netdev refused). Not modelled, refused with a named
 * error: {@code log}, {@code limit}, {@code reject with
 * tcp reset}, data maps other than verdict maps, interval maps, {@code ct} keys other than state,
 * other meta keys, {@code delete rule} (needs handles), chain devices and flags, route chains.
 * No listing ({@code nft list}) is printed; {@link io.svclab.net.nftables.NftablesRuleset}
 * reports chains, rule and element counts and counter statements. Set {@code size} is accepted and
 * ignored; expired elements are not garbage-collected, only treated as absent. Only one {@link io.svclab.net.nat.NatRuleTable} exists per namespace: do not install
 * iptables and nftables nat rules in the same namespace.
 *
 * <h2>References</h2>
 * net/netfilter/nf_tables_core.c ({@code nft_do_chain}), nf_tables_api.c
 * ({@code nf_tables_delchain}, loop checks), nft_numgen.c, nft_lookup.c, nft_ct.c, nft_meta.c,
 * nft_fib.c, nft_nat.c, nft_masq.c, nft_reject_ipv4.c; nftables(8); kube-proxy
 * pkg/proxy/nftables/proxier.go and proxier_test.go ({@code baseRules}).
 *
 * <h2>Validation</h2>
 * {@code NftablesRulesetTest} (the oracle's block-form table and its endpoint transactions from
 * iptables-reuse.sh nft mode; removal; refused deletes leave the ruleset unchanged; unsupported
 * statements and families; hook priorities; numgen inc; 3000 seeded mutations only ever raise
 * the checked error), {@code KubeProxyNftablesTest} (kube-proxy's transaction loads, registers
 * its base chains at −110 and 0, spreads connections evenly, rejects a service without
 * endpoints, drops unallocated ClusterIPs, deletes stale chains and affinity sets, keeps a
 * ClientIP client on one backend within the timeout and forgets it after).
 */
package io.svclab.net.nftables;
