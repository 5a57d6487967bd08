/**
 * What a run prints and writes: the result JSON of the contract (§4) written field by field with a
 * streaming generator so the same run gives the same bytes ({@link io.svclab.report.JsonReport}),
 * the text summary ({@link io.svclab.report.TextReport}), the self-contained HTML report
 * ({@link io.svclab.report.HtmlReport}) and the packet capture ({@link io.svclab.report.PcapWriter}).
 * Every figure comes from the run's records; none is re-derived here.
 *
 * <h2>HTML report</h2>
 * One file with uPlot 1.6.30 and its stylesheet inlined from the {@code org.webjars.npm:uplot} jar
 * (no Node.js at build time, no network at view time): per run the facts, the per-second timeline
 * with the ready pods, the pod events on the same time axis (shared cursor), the connect-time
 * histogram (1-2-5 buckets from {@code Results}, log scale, with the cumulative share), percentiles
 * and SYN retransmissions, connections per backend, and the explanations
 * ({@link io.svclab.run.Explanation}) when the run recorded them; several runs ({@code demo}) get a
 * comparison table on top. Validation: {@code HtmlReportTest} renders explanations from a hand-built
 * record and opens the report in headless Chromium (offline, {@code file://}), asserting one canvas
 * per chart and no JavaScript error; it is skipped without Chromium unless {@code CI} is set.
 *
 * <h2>Packet capture</h2>
 * pcapng (one Interface Description Block per sending device, link type Ethernet,
 * {@code if_tsresol=9}, Enhanced Packet Blocks) taken at link transmission through
 * {@link io.svclab.net.PacketTap}: what tcpdump on the sending device would see, after that
 * namespace's NAT. Headers: IPv4 with checksum (TOS 0, DF on TCP/UDP, the model's IP id and TTL),
 * TCP with the timestamp option when the connection uses it and the pseudo-header checksum, UDP,
 * ICMP errors quoting the offending header (their quoted IPv4 header carries TTL 64 and the
 * length of a bare header plus 8 or 20 bytes: the model keeps neither). Not modelled, so not
 * written: TCP MSS, window scale and SACK-permitted options on SYNs (tshark notes the missing MSS),
 * payload contents (zeros), ARP frames, receive-side copies of a frame. Validation:
 * {@code PcapWriterTest} reads the file back with an independent reader (literal header fields,
 * checksums recomputed apart, timestamps equal to the simulated instants: a failed connection's
 * SYNs at 0, 1, 3, 7, 15, 31, 63 s on 4.19, before and after NAT) and with {@code tshark -r} where
 * installed.
 *
 * <h2>Explanations</h2>
 * Explanations ({@code --explain}): {@code TextReport.writeExplanations} prints one
 * block per connection (5-tuple and outcome, one line per decision {@code 12.345678 s  where  what}
 * with the deciding entry below it as the real tool prints it, then the summary); the JSON carries
 * the same facts under {@code explanations}, after {@code dumps}, only when they were asked for, so
 * other runs' JSON is unchanged.
 */
package io.svclab.report;
