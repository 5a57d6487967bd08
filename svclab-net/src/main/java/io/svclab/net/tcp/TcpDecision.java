package io.svclab.net.tcp;

import io.svclab.net.trace.TraceEvent;

/**
 * A decision of a namespace's TCP that a packet trace alone does not explain: a SYN
 * retransmission and its next RTO, a challenge ACK, a dropped SYN on a full accept queue, a
 * timewait socket taken over, a connect that gave up. Emitted only when the trace is enabled.
 *
 * @param time simulated time, ns
 * @param where the namespace
 * @param flowId the connection
 * @param decision one line, e.g. {@code syn retransmission 3, next rto 1000 ms}
 */
public record TcpDecision(long time, String where, long flowId, String decision) implements TraceEvent {

    @Override
    public String format() {
        return "tcp " + decision;
    }
}
