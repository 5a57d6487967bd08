/**
 * Linux TCP endpoints: the client and server behaviour a Service datapath meets (spec
 * conntrack-nat-tcp.md §7, ipvs-kube-proxy.md §6.4).
 *
 * <h2>Model</h2>
 * One {@link io.svclab.net.tcp.TcpStack} per namespace ({@code TcpStack.install(ns)}) is the
 * namespace's TCP transport. Sockets live in a fastutil map keyed by the packed (local port,
 * remote address, remote port), chained by local address, and are looked up as
 * {@code __inet_lookup} does: request, full and timewait sockets first, then the listener.
 * <ul>
 * <li><b>Handshake</b>: SYN, SYN-ACK, ACK with a random ISN per connection (stream
 * {@code tcp/<ns>/isn}) and RFC 7323 timestamps (on by default; tsVal = simulated ms clock plus
 * a keyed per address-pair offset, {@code secure_tcp_ts_off}; {@code tcp_timestamps=2}: no
 * offset). A listener answers with a request socket (SYN_RECV, SYN-ACK retransmitted at 1, 3, 7,
 * 15, 31 s, dropped at 63 s, {@code tcp_synack_retries}), a retransmitted SYN re-elicits the
 * SYN-ACK (rate-limited), another SYN inside the window resets the request, an older one is
 * answered with the request's ACK; the final ACK moves the child to the accept queue. The accept queue
 * drops SYNs (and final ACKs, {@code tcp_abort_on_overflow=0}) while it holds more than
 * {@code backlog} connections ({@code sk_acceptq_is_full}).</li>
 * <li><b>Exchange</b>: the client writes {@code requestBytes} in one segment once established;
 * the server ACKs at once (quick-ack), answers {@code responseBytes} after its service time; the
 * client ACKs at once. Sequence and acknowledgement numbers advance by data and by SYN/FIN.</li>
 * <li><b>Keep-alive</b> ({@link io.svclab.net.tcp.TcpStack#connectKeepAlive}, HTTP/1.1 persistent
 * connections): the first request goes out once established, later ones when the application
 * calls {@link io.svclab.net.tcp.KeepAliveConnection#request()} on the idle connection; a request
 * is done when it is acknowledged and its response complete. The application timeout covers
 * connect + first request, then each later request. Idle, the client closes with FIN after its
 * idle timeout, and at once when the server's FIN arrives (the pool reads EOF); the server closes
 * with FIN after its keep-alive timeout ({@code ServerSpec.keepAliveTimeoutNs}, 0 = never, as Go's
 * {@code http.Server} by default; nginx uses 75 s) counted from writing its last response. A
 * request that crosses the server's FIN fails with EOF and the server's orphan answers it with RST
 * ({@code tcp_rcv_state_process}: data after shutdown); an RST (e.g. from a host that no longer
 * has the socket) fails the outstanding request with ECONNRESET, or ends an idle connection with
 * ECONNRESET without failing a request; a vanished peer gets the request retransmitted on the data
 * RTO schedule until {@code tcp_retries2} (ETIMEDOUT) or the application timeout.</li>
 * <li><b>Close</b>: by the {@code new_state[]} table of {@code tcp_close} ({@link
 * io.svclab.net.tcp.TcpState}); the closer's peer closes when it reads EOF (its FIN then carries
 * the ACK, as the delayed ACK lets it), so FIN, FIN, ACK; the first closer holds TIME_WAIT for
 * 60 s ({@code TCP_TIMEWAIT_LEN}); an orphan whose FIN was acknowledged before the peer's FIN
 * becomes a timewait socket in the FIN_WAIT2 substate for {@code tcp_fin_timeout}. Abortive close
 * sends RST|ACK and leaves nothing. A server that never closes
 * ({@code closeOnPeerFin(false)}) stays in CLOSE_WAIT.</li>
 * <li><b>Resets</b>: no socket: {@code tcp_v4_send_reset} (RST seq = ack of a segment with ACK,
 * else RST|ACK seq 0 ack = seq + length + SYN + FIN); an ACK to a listener: RST. RST accepted
 * when seq = rcv_nxt (or rcv_nxt - 1 after the peer's FIN); other in-window RSTs and every SYN in
 * a synchronized state draw an RFC 5961 challenge ACK, limited per socket by
 * {@code tcp_invalid_ratelimit} (500 ms). In SYN_SENT an ACK outside (snd_una, snd_nxt] is
 * answered with RST(seq = its ack) and, if no retransmission happened yet, the SYN is sent again
 * {@code TCP_TIMEOUT_MIN} (2 jiffies, 8 ms at HZ=250) later. Data arriving after close() is
 * answered with RST.</li>
 * <li><b>Timewait</b>: {@code tcp_timewait_state_process}: an in-window RST kills it (rfc1337=0);
 * a SYN with a sequence after rcv_nxt or a newer timestamp opens a new connection on the listener
 * with ISN = old snd_nxt + 65537; anything else is ACKed (rate-limited) and ACKs restart the 60 s.
 * {@code tcp_twsk_unique}: an explicitly bound connect takes a timewait 4-tuple over whenever it
 * carries a peer timestamp; a kernel-chosen port only under {@code tcp_tw_reuse} (2: loopback
 * addresses only) once the seconds clock has passed the last timestamp update; the new ISN is old
 * snd_nxt + 65537.</li>
 * <li><b>Ports</b>: {@code PortSelector}: the four generations of
 * {@code __inet_hash_connect} by switch ({@code TCP_PORT_PERTURB_TABLE},
 * {@code TCP_PORT_PERTURB_TABLE_256}, {@code TCP_CONNECT_EVEN_PORTS}, plain walk), ports of
 * {@code bind()}-created buckets skipped, 4-tuple uniqueness with the timewait rules,
 * {@code EADDRNOTAVAIL} when nothing is left. A fixed {@code srcPort} is bind()+SO_REUSEADDR:
 * {@code EADDRINUSE} against a listener, {@code EADDRNOTAVAIL} when the 4-tuple is held.</li>
 * <li><b>Timers</b> ({@code RetransmitSchedule}): SYN at 0, 1, 3, 7, 15, 31,
 * 63 s and ETIMEDOUT at 127 s; with {@code TCP_SYN_LINEAR_TIMEOUTS} 0, 1, 2, 3, 4, 5, 7, 11, 19,
 * 35, 67 s and 131 s (budget {@code tcp_syn_retries + tcp_syn_linear_timeouts} as
 * {@code tcp_write_timeout} counts it; with {@code TCP_SYN_TIMEOUT_ELAPSED} also
 * {@code ((2 << tcp_syn_retries) - 1)} s after the first SYN, {@code retransmits_timed_out}). Data and FIN: RTO = m + max(2m, 200 ms) from the handshake RTT m,
 * doubling to 120 s, given up by {@code retransmits_timed_out} with {@code tcp_retries2} (924.6 s)
 * or, orphaned, {@code tcp_orphan_retries} (0 ⇒ 8: 102.2 s).</li>
 * <li><b>Errors seen by the application</b> ({@link io.svclab.net.tcp.ConnectResult}): RST in
 * SYN_SENT → ECONNREFUSED; ICMP in SYN_SENT is fatal ({@code tcp_v4_err}): port unreachable →
 * ECONNREFUSED, net unreachable → ENETUNREACH, host unreachable / admin prohibited / others →
 * EHOSTUNREACH; on established connections ICMP errors are soft and ignored; RST before the
 * response → ECONNRESET; no route at the client → ENETUNREACH before any SYN. The application
 * timeout closes the socket: in SYN_SENT silently (no RST: {@code new_state[SYN_SENT]} is CLOSE);
 * once established with a FIN, because nothing unread is queued (Linux sends RST on close() only
 * when unread data is discarded).</li>
 * <li><b>Records</b>: each client connection ends in one {@link
 * io.svclab.net.tcp.ConnectionRecord} (listener callback and trace event); each accept calls the
 * server's handler with an {@link io.svclab.net.tcp.AcceptedConnection} carrying the flow id of
 * the SYN (flow ids come from the network's {@link io.svclab.net.FlowIds}). Decisions a packet
 * trace does not explain (SYN retransmissions, challenge ACKs, accept-queue drops, timewait
 * takeovers, connect timeouts) are traced as {@link io.svclab.net.tcp.TcpDecision}.</li>
 * </ul>
 *
 * <h2>Scope and limitations</h2>
 * Not modelled: congestion control and cwnd (every segment is sent at once), MSS segmentation (a
 * request or response is one segment of any length), SACK, window scaling and receive-window
 * dynamics (fixed 64240), delayed ACK timing (data is ACKed at once; the ACK of a FIN is dropped
 * in favour of an immediate FIN|ACK when the application closes at once, else sent at once),
 * Nagle, TCP keepalive probes ({@code SO_KEEPALIVE}: an idle keep-alive connection sends nothing),
 * HTTP pipelining, a server timeout for the first request on a new connection, the RTT estimate
 * after the handshake (a keep-alive connection keeps the RTO of its handshake sample), PAWS on established sockets, the global challenge-ACK limit
 * ({@code tcp_challenge_ack_limit}), syncookies and {@code tcp_max_syn_backlog}, the
 * {@code net.core.somaxconn} cap on the backlog, simultaneous open, TCP Fast Open, MTU probing,
 * {@code SO_REUSEADDR} conflicts other than with a listener, reserved ports,
 * {@code IP_LOCAL_PORT_RANGE}, {@code tcp_tw_reuse_delay} (6.13+), and {@code dst_confirm} (TCP
 * traffic does not confirm neighbour entries). The port secret and perturb table are per namespace (the kernel
 * has one per boot, shared by a node's pods). Timers are nominal (no timer-wheel slack: the
 * 6.18 lab saw 135 s instead of 131 s). Kernels before the count-based SYN give-up (elapsed
 * time only; version not pinned) are modelled with the count. A client that
 * {@link io.svclab.net.tcp.TcpStack#vanish vanishes} emits no record. An EOF before the response
 * is complete is reported as {@link io.svclab.net.tcp.ConnectResult#EOF}.
 *
 * <h2>Kernel references</h2>
 * net/ipv4/inet_hashtables.c ({@code __inet_hash_connect}, {@code __inet_check_established},
 * {@code inet_sk_port_offset}); net/ipv4/tcp_ipv4.c ({@code tcp_v4_rcv}, {@code tcp_twsk_unique},
 * {@code tcp_v4_send_reset}, {@code tcp_v4_err}, {@code tcp_v4_timewait_ack});
 * net/ipv4/tcp_input.c ({@code tcp_rcv_synsent_state_process}, {@code tcp_validate_incoming},
 * {@code tcp_send_challenge_ack}, {@code __tcp_oow_rate_limited}, {@code tcp_reset},
 * {@code tcp_fin}, {@code tcp_rcv_state_process}, {@code tcp_conn_request}, {@code tcp_rtt_estimator});
 * net/ipv4/tcp_minisocks.c ({@code tcp_timewait_state_process}, {@code tcp_check_req},
 * {@code tcp_time_wait}); net/ipv4/tcp_timer.c ({@code tcp_retransmit_timer},
 * {@code tcp_write_timeout}, {@code retransmits_timed_out}, {@code tcp_orphan_retries});
 * net/ipv4/inet_connection_sock.c ({@code reqsk_timer_handler}, {@code inet_csk_listen_stop});
 * net/ipv4/tcp.c ({@code tcp_close}, {@code new_state[]}); net/ipv4/icmp.c
 * ({@code icmp_err_convert}).
 *
 * <h2>Validation</h2>
 * {@code SynRetransmissionTest}: §7.3 table and CL-4 (0, 1, 3, 7, 15, 31, 63 s / 127 s on 4.19;
 * 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s / 131 s on 6.12; tcp_syn_retries=2 → 7 s; app timeout
 * without RST, §7.3 last paragraph). {@code ConnectErrorsTest}: §7.4 rows and CL-5 (RST|ACK seq 0
 * ack ISN+1 → ECONNREFUSED in one RTT; REJECT with port unreachable → ECONNREFUSED (KP-4);
 * EHOSTUNREACH at 3.0002 s, lab 3.067 s; ENETUNREACH; admin prohibited; soft ICMP once
 * established). {@code PortSelectionTest}: §7.1 and CL-1 (even ports, steps 2..16 over 1000
 * connects, per-destination offsets; 4.19 global hint; plain walk), §7.2 and CL-2 (range
 * 50000-50001: EADDRNOTAVAIL under tcp_tw_reuse=2, reuse after > 1 s under 1, even port first).
 * {@code TimeWaitTest}: §7.2, CL-3, CL-7 (60 s exactly; fixed port blocked without timestamps;
 * immediate takeover with timestamps, ISN + 65537), §7.5 (a server TIME_WAIT reopened by a newer
 * SYN or timestamp, an old SYN answered by an ACK which the client resets).
 * {@code ChallengeAckTest}: §7.4 challenge-ACK row, §7.5, CL-6 (RST then SYN 8 ms later;
 * connect 8.4 ms, lab 9.4 ms). {@code ExchangeTest}: packet sequences of client-first and
 * server-first close, CLOSE_WAIT with FIN_WAIT2 remnant (§8 M2). {@code StatelessResetTest}: §7.5
 * and {@code tcp_v4_send_reset}'s rules. {@code RequestSocketTest}: {@code tcp_check_req} and
 * the SYN-ACK schedule. {@code KeepAliveTest}: requests on one connection, the client's idle FIN at 5 s after the last
 * response, the server's keep-alive FIN, the EOF/RST race, ECONNRESET from a peer without the
 * socket, request retransmissions at 1 s + 200.4 ms doubling and ETIMEDOUT at 926.0092 s, the
 * app timeout per request. {@code KernelGenerationsTest}, {@code DataRetransmissionTest},
 * {@code ListenBacklogTest}, {@code LoopbackAndPoolTest}, {@code TcpDeterminismTest}.
 */
package io.svclab.net.tcp;
