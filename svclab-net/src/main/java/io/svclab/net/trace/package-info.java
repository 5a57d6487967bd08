/**
 * The one trace sink: every decision a user may ask about is a {@link io.svclab.net.trace.TraceEvent}
 * emitted to {@link io.svclab.net.trace.Trace}, guarded by {@code enabled()} so that an untraced
 * run allocates nothing for it. {@code --trace}, explanations, pcap and dumps are sinks.
 *
 * <p>Events: the packet path ({@link io.svclab.net.trace.HookTraced} per hook function,
 * {@link io.svclab.net.trace.LinkTransmitted} per link hop), drops with their reason, ICMP errors,
 * neighbour state changes, the client's TCP decisions and connection records (in
 * {@code io.svclab.net.tcp}), table decisions ({@link io.svclab.net.trace.Decided}: conntrack
 * entry confirmed, NAT binding, TIME_WAIT entry reopened, entry deleted or expired; IPVS entry hit
 * with its state and real server weight, the sysctls and kernel switches the port-reuse code read,
 * reuse or reschedule, the conntrack=1 reuse drop, the unavailable-real-server drop, scheduling,
 * real server weight changes and deletions) and pod lifecycle steps
 * ({@link io.svclab.net.trace.PodChanged}). Each carries the flow id of the connection whose packet
 * caused it, or of the entry's first packet (a conntrack entry keeps it); decisions no packet caused
 * carry 0 and the address they concern.
 *
 * <p>Cost: a sink says which parts it wants. {@code packets()} false spares the per-hook and
 * per-hop lines (a frame nobody receives is still reported); {@code wants(flowId)} false spares a
 * finished connection's late decisions (expiring entries). Entries are snapshots of numbers,
 * formatted ({@code conntrack -L}, {@code ipvsadm -Lnc}, {@code ipvsadm -Ln} layouts) only when a
 * sink prints them. Limitation: the TCP decisions are one-line texts ({@code TcpDecision}), not
 * structured fields.
 */
package io.svclab.net.trace;
