package io.svclab.net;

/**
 * The run's flow id counter: every connection a client opens gets the next number, which its
 * packets carry in {@link Packet#flowId} so traces, conntrack and IPVS can be joined per
 * connection. One per {@link Network}, held as its attachment ({@link #of(Network)}).
 */
public final class FlowIds {

    private long next = 1;

    /** The counter of a network, created on first use. */
    public static FlowIds of(Network net) {
        FlowIds f = net.attachment(FlowIds.class);
        if (f == null) {
            f = new FlowIds();
            net.attach(FlowIds.class, f);
        }
        return f;
    }

    /** A new flow id (never 0). */
    public long next() {
        return next++;
    }
}
