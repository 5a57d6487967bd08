/**
 * JMH benchmarks of the hot structures, run with {@code bench/run-jmh} (for example
 * {@code bench/run-jmh -f 1 -wi 1 -i 2 -r 1s -prof gc 'HookChainBench|TablesBench'}):
 * <ul>
 * <li>{@link io.svclab.bench.EventQueueBench}, {@link io.svclab.bench.TimerWheelBench}: the event
 *     kernel;</li>
 * <li>{@link io.svclab.bench.TablesBench}: conntrack lookup (hit, miss), IPVS connection lookup,
 *     and both for one packet, at 1000 and 1000000 tracked flows;</li>
 * <li>{@link io.svclab.bench.HookChainBench}: one packet through the whole path of an IPVS
 *     director ({@link io.svclab.net.EmbeddedDirector}): an established flow's packet (conntrack
 *     and IPVS hits, expected 0 B/op under {@code -prof gc}), and a new flow's SYN (conntrack
 *     insert, IPVS scheduling and insert, with the clock moving so that entries expire).</li>
 * </ul>
 * The end-to-end figures (packets per second of a whole run, speed-up over real time, heap per
 * flow) come from {@code svclab bench}.
 */
package io.svclab.bench;
