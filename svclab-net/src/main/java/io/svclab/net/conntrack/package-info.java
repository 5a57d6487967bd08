/**
 * Connection tracking of a network namespace: the netfilter conntrack core and its TCP, UDP,
 * ICMP and generic trackers, the text formats of {@code /proc/net/nf_conntrack} and
 * {@code conntrack}, and a subset of the {@code conntrack} tool.
 *
 * <h2>Model</h2>
 * {@link io.svclab.net.conntrack.Conntrack#install} puts a {@link io.svclab.net.conntrack.ConntrackTable}
 * and the NAT core into a namespace and registers conntrack_in (PREROUTING −200),
 * conntrack_local (OUTPUT −200), nat_dst (PREROUTING/OUTPUT −100), nat_src (POSTROUTING/INPUT
 * 100) and conntrack_confirm (POSTROUTING/INPUT INT_MAX). A {@link io.svclab.net.conntrack.Conn}
 * holds an immutable ORIGINAL tuple, a REPLY tuple that only NAT alters before confirmation,
 * {@link io.svclab.net.conntrack.CtStatus} bits, TCP state and per-direction window data, mark,
 * zone (always 0), accounting and an absolute expiry. Both tuples of a confirmed entry are chained
 * in one hash table keyed by the tuple packed into two longs (no allocation per lookup). New
 * entries ride on their packet ({@code Packet.nfct}) until confirmation; a packet that dies earlier
 * leaves nothing. Every entry is its own {@link io.svclab.sim.Timer} (priority EXPIRY), re-armed on
 * refresh; lookups also treat {@code now >= expiry} as absent, so an entry exists iff
 * {@code now < expiry}. The TCP state machine is data ({@link io.svclab.net.conntrack.TcpConntrackTable},
 * both directions, sIV/sIG explicit, one reason per cell); {@code TcpTracker} follows
 * {@code nf_conntrack_tcp_packet}'s order: flag validity, {@code tcp_new} with loose pickup, the
 * reopen from TIME_WAIT/CLOSE (CLOSE_INIT or last RST in the SYN's direction) that kills the entry
 * and repeats the lookup so NAT is decided afresh, IGNORE with the SYN/ACK re-sync and the
 * LAST_ACK challenge-ACK exception, RST checks, {@code tcp_in_window}, commit, timeout selection
 * (RETRANS, RST, unacknowledged data, zero window), and the no-SEEN_REPLY rules (RST kills, a SYN
 * retransmission in SYN_SENT does not refresh, ESTABLISHED capped at UNACK). ICMP errors are
 * RELATED to the entry of the inverted quoted tuple. Table limit {@code nf_conntrack_max} with
 * {@code early_drop} over 8 buckets, clash at confirm → insert_failed, and the per-CPU statistics
 * of one CPU. {@link io.svclab.net.conntrack.CtParser} reads real dump lines (never throws; errors
 * are {@code line N: what was expected}); {@link io.svclab.net.conntrack.ConntrackTable#restore}
 * seeds a confirmed entry read from a dump (window tracking liberal, TIME_WAIT/CLOSE taken as closed
 * by a FIN so a SYN may reopen it) for {@code svclab diagnose} and {@code run --from-dumps}: not a
 * kernel operation.
 *
 * <h2>Scope and limitations</h2>
 * IPv4 only; zones, helpers, expectations, templates, offload, secmark, labels and conntrack
 * events are not modelled. TCP options are not parsed (no window scaling, no SACK); checksums are
 * always valid. {@code nf_conntrack_count} counts confirmed entries (unconfirmed ones live only
 * while their packet crosses the hooks of one namespace, which is synchronous here). The
 * table-size limit and buckets are per namespace (global in the kernel); buckets start at 1024 and
 * double up to 262144 unless fixed with {@code setBuckets}. The GC worker's 95 % eviction pass
 * and {@code tcp_can_early_drop} are not modelled. {@code id} is a creation counter, not a
 * hashed pointer. The hash is deterministic (no random seed). A frame crossing into another
 * namespace loses its conntrack reference ({@code skb_scrub_packet}). UDP and ICMP echo tracking
 * are minimal (timeouts, replied/unreplied, UDP stream after 2 s); the ICMP echo id is carried in
 * {@code Packet.sport}.
 *
 * <h2>Kernel references</h2>
 * net/netfilter/nf_conntrack_core.c ({@code nf_conntrack_in}, {@code resolve_normal_ct},
 * {@code init_conntrack}, {@code __nf_conntrack_alloc}, {@code early_drop},
 * {@code __nf_conntrack_confirm}, {@code nf_conntrack_tuple_taken}, {@code nf_ct_delete});
 * nf_conntrack_proto.c ({@code ipv4_conntrack_in}, {@code ipv4_conntrack_local},
 * {@code nf_confirm}, {@code nf_conntrack_inet_error}); nf_conntrack_proto_tcp.c
 * ({@code tcp_conntracks}, {@code get_conntrack_index}, {@code tcp_valid_flags}, {@code tcp_new},
 * {@code nf_conntrack_tcp_packet}, {@code tcp_in_window}, {@code nf_tcp_handle_invalid},
 * {@code tcp_timeouts}); nf_conntrack_proto_udp.c ({@code nf_conntrack_udp_packet});
 * nf_conntrack_proto_icmp.c; nf_conntrack_standalone.c ({@code ct_seq_show},
 * {@code ct_cpu_seq_show}); libnetfilter_conntrack {@code __snprintf_conntrack_default};
 * conntrack-tools 1.4.7. Kernel switch: {@code KernelFeature.CT_TCP_SYN_SENT_NO_RENEW} (v5.14).
 *
 * <h2>Validation</h2>
 * {@code TcpConntrackTableTest}: every cell of spec §3.2/§3.3 (120 cells, from the spec's text).
 * {@code DecisionTableTest}: every row of spec §3.6 through the hooks.
 * {@code OracleScenarioTest}: oracle part A S0–S6 (fixtures iptables-reuse-nth.*), with the
 * kernel's printed lines. {@code ConntrackCoreTest}: spec §9 CT-1..CT-7, TCP-3..TCP-9, invalid RST,
 * window checks, be_liberal, loose, UDP, ICMP echo, expiry at the exact instant, table full and
 * early drop. {@code FormatTest}: every conntrack line of the fixtures round-trips byte for byte;
 * FMT-1..FMT-3. {@code ConntrackToolTest}: {@code -L/-D/-F/-C/-S}, filters, errors. The parser is fuzzed
 * (svclab-cli {@code io.svclab.diagnose.ReaderFuzzTest}, {@code MutationFuzzTest}).
 *
 * <p>Traced decisions (when the trace is enabled, for explanations): an entry confirmed, a SYN
 * reopening an entry in TIME_WAIT or CLOSE, an entry deleted or expired, each with a snapshot of its
 * {@code conntrack -L} line; an entry remembers the flow id of the packet that created it
 * ({@code Conn.flowId}) so its later decisions join that connection.
 */
package io.svclab.net.conntrack;
