/**
 * IPVS (the Linux Virtual Server in {@code net/netfilter/ipvs}) as the node-level load balancer
 * of kube-proxy's IPVS mode: virtual services, real servers, schedulers, the connection table and
 * the hook functions of {@code ip_vs_core.c}, plus {@code ipvsadm} and the {@code /proc} files.
 *
 * <h2>Model</h2>
 * {@link io.svclab.net.ipvs.Ipvs} is the per-namespace instance ({@code struct netns_ipvs});
 * {@link io.svclab.net.ipvs.Ipvs#install} registers {@code ipvs_in} (INPUT 99,
 * {@code ip_vs_in_hook}), {@code ipvs_local_request} (OUTPUT −98), and {@code ipvs_out} (INPUT 98,
 * FORWARD 100 and OUTPUT −99, {@code ip_vs_out_hook}). A request runs the kernel's order (spec §1.2): lookup
 * by (protocol, client, VIP) regardless of state or weight; the port-reuse block (weight-0 branch
 * with {@code expire_nodest_conn}, TIME_WAIT/CLOSE branch with {@code conn_reuse_mode}, old
 * conntrack ⇒ NF_DROP); the unavailable-destination check (5.9+ before scheduling, earlier after);
 * scheduling (persistence templates, {@code ip_vs_leave}'s ICMP port unreachable when no
 * destination is eligible); statistics; the TCP state machine; masquerade transmit (destination
 * rewritten, {@code ipvs_property} set, conntrack reply updated or untracked, re-sent through
 * OUTPUT/POSTROUTING with {@code NetNamespace.send}, verdict STOLEN); the timer re-armed with the
 * state's timeout. A non-SYN without an entry is ACCEPTed to the local stack. Replies found by
 * (protocol, real server, client) are rewritten back to VIP:port; ICMP errors quoting a packet to
 * a real server (destination unreachable, time exceeded, source quench — from the real server, a
 * router, or this node's neighbour layer) are rewritten to come from the VIP and quote VIP:port
 * ({@code ip_vs_out_icmp}), which is how a client gets "no route to host" for a vanished pod.
 * Transmit decrements the TTL ({@code decrement_ttl}, switch IPVS_DECREMENT_TTL).
 * {@link io.svclab.net.ipvs.IpvsConn} entries are their own timers ({@code ip_vs_conn_expire}:
 * 60 s retry while controlling others, conntrack dropped for {@code IP_VS_CONN_F_NFCT} entries,
 * counters unbound). {@link io.svclab.net.ipvs.IpvsTcpStates} holds {@code tcp_states[]} and
 * {@code tcp_states_dos[]} as data. ActiveConn/InActConn/PersistConn follow
 * {@code ip_vs_bind_dest}/{@code set_tcp_state}/{@code ip_vs_unbind_dest}. Deleted destinations
 * go to a trash and are revived by re-adding; the trash timer frees them 120 s after they become
 * unreferenced. Schedulers ({@link io.svclab.net.ipvs.IpvsSchedulers}): rr, wrr, lc, wlc, sed,
 * nq, sh, dh, mh, each after its kernel file, with {@code hash_32} and 64-bit {@code hsiphash}
 * ({@link io.svclab.net.ipvs.KernelHash}). The conntrack boundary is
 * {@link io.svclab.net.ipvs.IpvsConntrack}. {@link io.svclab.net.ipvs.Ipvsadm} executes
 * {@code -A -E -D -C -a -e -d --set} and lists; {@link io.svclab.net.ipvs.IpvsFormat} prints the
 * tool and /proc formats; {@link io.svclab.net.ipvs.IpvsadmReader} reads real output back
 * ({@code ipvsadm -Ln} plain, {@code --stats}, {@code --rate}, {@code /proc/net/ip_vs}, {@code -Lnc},
 * {@code /proc/net/ip_vs_conn}) with the line of each record and a {@code line N: what was expected}
 * error for any line it cannot read, never an exception. {@link io.svclab.net.ipvs.Ipvs#restoreConnection}
 * seeds an entry read from a dump (state, destination, remaining time) for {@code svclab diagnose} and
 * {@code run --from-dumps}; it is not a kernel operation.
 *
 * <p>Kernel switches ({@link io.svclab.kernel.KernelFeature}): IPVS_PRE_ESTABLISHED_ACTIVE (4.8,
 * which TCP states count as active), IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT (f719e37: drop a
 * rescheduled SYN whose entry has NFCT and whose skb has conntrack), IPVS_DROP_ONLY_CONFIRMED_CT
 * (5.9: drop only with a confirmed conntrack; NFCT cleared before expiring), IPVS_EXPIRE_NODEST_
 * DELAYED_WORK (5.9: unavailable-dest check before scheduling, SYN rescheduled, flush of a deleted
 * dest's entries one jiffy after deletion), IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE (c95c0783: the
 * reuse block no longer requires conn_reuse_mode != 0). Sysctls: {@code net.ipv4.vs.}
 * conn_reuse_mode, expire_nodest_conn, expire_quiescent_template, conntrack, sloppy_tcp.
 *
 * <h2>Scope and limitations</h2>
 * IPv4, TCP and UDP only (no SCTP, fwmark services, IPv6, client-side ICMP errors
 * ({@code ip_vs_in_icmp}), FTP helper, persistence engines, sync daemon, {@code drop_entry} /
 * {@code drop_packet} / {@code amemthresh} defense, the rate estimator — {@code --rate} prints 0).
 * Forwarding: masquerade only; DR/tunnel destinations are accepted, listed and scheduled but their
 * packets are dropped and counted ({@code Counters.unsupportedForwarding}). A real server whose
 * address is local to the namespace becomes {@code Local} ({@code __ip_vs_update_dest}) and its
 * packets are accepted unchanged to the local stack ({@code ip_vs_null_xmit}). The secure_tcp defense
 * table is selected by {@code useDefenseTable}, not by the memory-level logic. ipvsadm's sort
 * (glibc merge sort, wrapping address comparison) is reproduced; its input order is the kernel's
 * for destinations but creation order for services (the kernel's service hash mixes in a pointer),
 * so services more than 2^31 apart may be listed in a different order than on a real node. {@code ip_vs_conn_expire_now}
 * is synchronous (spec §2.4). Connection listings are sorted (the kernel prints hash-bucket order
 * with a random seed). HZ is 250 for jiffy-valued output ({@code /proc/net/ip_vs} persistence
 * timeout, expiry rounding). The kernel's newer {@code totalconns} counter refactor is assumed
 * externally identical. Reuse on CLOSE entries ({@code is_new_conn_expected}) follows the spec
 * for every version (its introduction is not pinned). sh/dh use the newest {@code hash_32} form;
 * the older multiplicative hash (spec §3.7) is not selectable.
 *
 * <h2>Kernel references</h2>
 * net/netfilter/ipvs/ip_vs_core.c ({@code ip_vs_in}, {@code ip_vs_out}, {@code handle_response},
 * {@code is_new_conn}, {@code is_new_conn_expected}, {@code ip_vs_conn_uses_old_conntrack},
 * {@code ip_vs_schedule}, {@code ip_vs_sched_persist}, {@code ip_vs_leave}), ip_vs_conn.c
 * ({@code ip_vs_conn_new}, {@code ip_vs_bind_dest}, {@code ip_vs_unbind_dest},
 * {@code ip_vs_conn_expire}, {@code ip_vs_check_template}, {@code ip_vs_conn_seq_show}),
 * ip_vs_ctl.c ({@code __ip_vs_update_dest}, {@code __ip_vs_unlink_dest}, trash,
 * {@code ip_vs_expire_nodest_conn_flush}, {@code ip_vs_info_seq_show}, {@code ip_vs_set_timeout}),
 * ip_vs_proto_tcp.c ({@code tcp_states}, {@code tcp_states_dos}, {@code tcp_timeouts},
 * {@code set_tcp_state}), ip_vs_proto_udp.c, ip_vs_xmit.c ({@code ip_vs_nat_xmit},
 * {@code ip_vs_nat_send_or_cont}), ip_vs_nfct.c, the scheduler files, lib/siphash.c,
 * include/linux/hash.h; ipvsadm.c ({@code print_service_entry}, {@code print_largenum},
 * {@code list_conn}) and libipvs ({@code ipvs_strerror}). Spec: /work/shared/spec/ipvs-kube-proxy.md
 * §0–4, §7–9.
 *
 * <h2>Validation</h2>
 * {@code IpvsOracleMatrixTest} reproduces the 16 TIME_WAIT cases of the real 6.1 oracle
 * (/work/shared/oracle/README.md part B). {@code IpvsFormatTest} compares listings byte for byte
 * with the fixtures ({@code ipvs-reuse1-ct1-nodest1-weight0.txt}, {@code ipvs-final-state.txt}).
 * {@code IpvsKernelVersionTest} covers the spec §1.8 matrix (4.19 drop and 1 s retransmission,
 * 5.10 no drop, confirmed-ct drop, mode 0 on 4.19 and 5.10.80, 5.16 rescheduling, counters of 4.7
 * and 4.8). {@code IpvsTcpStatesTest} checks every cell of both tables against rows copied from the
 * spec; {@code IpvsSchedulersTest} hand-computed sequences and hashes;
 * {@code IpvsPersistenceTest}, {@code IpvsDatapathTest}, {@code IpvsadmTest},
 * {@code IpvsadmReaderTest}. Older-kernel behaviour (below 5.9) comes from the source and issue
 * threads only: no such kernel could be booted for the oracle.
 *
 * <p>Traced decisions (when the trace is enabled, for explanations; {@code IpvsTrace}): a SYN hitting
 * an entry (its {@code ipvsadm -Lnc} row, the real server's weight and whether it is still in the
 * service), the sysctls and kernel switches the port-reuse block read, its outcome (reuse of the
 * cached decision, reschedule, the conntrack=1 drop), the drop for an unavailable real server (SYNs
 * only, so steady traffic on a dead entry stays allocation-free), each new scheduling decision, and
 * real server weight changes and deletions (flow id 0, joined by address).
 */
package io.svclab.net.ipvs;
