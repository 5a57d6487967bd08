/**
 * NAT: the interfaces rule engines use ({@link io.svclab.net.nat.NatService},
 * {@link io.svclab.net.nat.NatRuleTable}, {@link io.svclab.net.nat.NatRange},
 * {@link io.svclab.net.nat.ManipType}) and the NAT core that implements them
 * ({@link io.svclab.net.nat.NatCore}).
 *
 * <h2>Model</h2>
 * {@code nf_nat_inet_fn} at nat_dst (PREROUTING/OUTPUT, DST manip) and nat_src
 * (POSTROUTING/INPUT, SRC manip): the namespace's rule table runs only for a NEW or RELATED packet
 * whose manip is not yet initialised; if no target bound, a null binding is installed. Then
 * {@code nf_nat_packet} rewrites the packet from the entry (status bit swapped for replies).
 * {@code setupInfo} is {@code nf_nat_setup_info} + {@code get_unique_tuple}: refuses confirmed
 * entries; SRC manip keeps the current tuple when in range and unused (port preservation), else
 * reuses a by-source mapping; one address or a deterministic hash over an address range;
 * port classes [1,511], [600,1023], [1024,65535]; a random 16-bit offset from
 * {@code sim.rng("nat/<ns>")} (none for DST without random flags); rounds of 128, 64, 32, 16, 8
 * probes; if all fail the clashing tuple is kept and confirm fails (insert_failed). Status bits
 * SRC_NAT/DST_NAT and SRC_NAT_DONE/DST_NAT_DONE. ICMP errors RELATED to an entry are translated
 * in the quoted and the outer header ({@code nf_nat_icmp_reply_translation}). Removing a rule
 * never changes an existing flow: bindings are made once, before confirmation.
 *
 * <h2>Scope and limitations</h2>
 * MASQUERADE's address is chosen by the rule engine and passed as a range; the entry does not
 * remember the interface and is not flushed on address removal; {@code nf_nat_oif_changed} is not
 * modelled. The TIME_WAIT eviction of {@code nf_nat_used_tuple_harder} is not modelled.
 * {@code --random} and {@code --random-fully} behave alike (as in 6.12); {@code PROTO_OFFSET}
 * ({@code --to} with offset) is not modelled. {@code find_best_ips_proto} uses a fixed hash, not
 * jhash with a boot-time seed. No sequence adjustment (helpers).
 *
 * <h2>Kernel references</h2>
 * net/netfilter/nf_nat_core.c ({@code nf_nat_inet_fn}, {@code nf_nat_setup_info},
 * {@code get_unique_tuple}, {@code find_appropriate_src}, {@code find_best_ips_proto},
 * {@code nf_nat_used_tuple}, {@code nf_nat_alloc_null_binding}, {@code nf_nat_packet});
 * nf_nat_proto.c ({@code nf_nat_l4proto_unique_tuple}, {@code nf_nat_manip_pkt},
 * {@code nf_nat_icmp_reply_translation}, {@code nf_nat_ipv4_fn}).
 *
 * <h2>Validation</h2>
 * {@code NatTest}: NAT-1 (rules only on the first packet per manip), NAT-2, NAT-3 (MASQUERADE
 * port preservation and clash remap; random-fully), NAT-4 (248 attempts, insert_failed), NAT-5
 * (host unreachable about a DNATed SYN reaches the client from the VIP with the VIP quoted),
 * RELATED ICMP from a backend, setupInfo on a confirmed entry. {@code DecisionTableTest} and
 * {@code OracleScenarioTest} (fresh vs old binding).
 */
package io.svclab.net.nat;
