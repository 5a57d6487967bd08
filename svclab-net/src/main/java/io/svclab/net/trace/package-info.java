/**
 * The one trace sink: every decision a user may ask about is a {@link io.svclab.net.trace.TraceEvent}
 * emitted to {@link io.svclab.net.trace.Trace}, guarded by {@code enabled()} so that an untraced
 * run allocates nothing for it. {@code --trace}, explanations, pcap and dumps are sinks.
 */
package io.svclab.net.trace;
