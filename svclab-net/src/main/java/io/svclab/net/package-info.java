/**
 * The IPv4 network of a run: packets, network namespaces, devices, segments, routes and neighbours.
 *
 * <h2>Model</h2>
 * {@link io.svclab.net.Packet}: the header fields the kernel's decisions read (addresses, ports,
 * protocol, TCP flags, sequence numbers, ICMP type/code and quoted header) plus skb metadata
 * (conntrack reference, mark, devices); pooled and rewritten in place. A
 * {@link io.svclab.net.NetNamespace} has its own devices, sysctls, routing table, neighbours,
 * hook chains and transports, and follows {@code ip_rcv → PREROUTING → route → INPUT | FORWARD →
 * POSTROUTING → neighbour} and {@code ip_local_out → OUTPUT → re-route → POSTROUTING}.
 * {@link io.svclab.net.L2Segment}: a veth pair or a bridge with one one-way latency; a frame to a
 * MAC no longer on the segment is lost. {@link io.svclab.net.Neighbour}: the NUD state machine of
 * {@code __neigh_event_send} / {@code neigh_timer_handler} with the ARP defaults (3 broadcast
 * probes 1 s apart → FAILED → ICMP host unreachable for each queued packet; STALE → DELAY 5 s →
 * PROBE 3 × 1 s → FAILED; reachable time uniform in [base/2, 3·base/2)). ICMP errors
 * ({@code icmp_send}) go back as locally generated packets, rate-limited per destination with
 * the {@code inet_peer_xrlim_allow} token bucket (1 s, burst 6), never towards a local address.
 * A {@link io.svclab.net.PacketTap} installed on the {@link io.svclab.net.Network} sees every
 * frame where {@link io.svclab.net.L2Segment} puts it on the wire (packet capture); none by
 * default, at the cost of one null check per frame.
 *
 * <h2>Scope and limitations</h2>
 * IPv4 only; no fragmentation, checksums or MTU; ARP frames are timed but not counted in
 * {@code packets} and not captured; the global ICMP limit ({@code icmp_msgs_per_sec}) and
 * neighbour garbage collection ({@code gc_stale_time}) are not modelled; the REACHABLE time is
 * drawn once per device instead of every 300 s; confirmations come only from ARP replies (TCP's
 * {@code dst_confirm} is the TCP model's to add); bridges do not run netfilter
 * ({@code bridge-nf-call-iptables}): pod traffic is seen by the node's IPv4 hooks because the
 * node routes between the pod bridge and its other devices.
 *
 * <p>Test and benchmark fixtures: {@code EmbeddedNetns} (one namespace whose devices end in
 * capture points; in quiet mode nothing is traced or recorded) and {@code EmbeddedDirector} (an
 * IPVS director with conntrack and NAT on top of it, for the JMH benchmarks and
 * {@code svclab bench}'s heap-per-flow figure).
 *
 * <h2>Kernel references</h2>
 * net/ipv4/ip_input.c, ip_forward.c, ip_output.c, route.c; net/core/neighbour.c; net/ipv4/arp.c
 * ({@code arp_tbl}, {@code arp_error_report}); net/ipv4/icmp.c ({@code icmp_send},
 * {@code icmpv4_xrlim_allow}); net/ipv4/inetpeer.c.
 *
 * <h2>Validation</h2>
 * {@code NeighbourTest} reproduces spec conntrack-nat-tcp.md §7.4/§7.5 (EHOSTUNREACH 3 s after
 * the first packet, measured 3.067 s on a real kernel; silence while a vanished host's MAC is
 * cached); {@code IpPathTest} the hook order of §1.2/§1.3; {@code DeterminismTest}.
 */
package io.svclab.net;
