package io.svclab.run;

import java.util.List;

/**
 * Why one connection failed or was delayed (contract §4.3): its 5-tuple and outcome, and the chain
 * of decisions that led there, each recorded as it happened. The text form ({@code --explain}),
 * the JSON {@code explanations} and the HTML report all render this one object.
 *
 * @param client the client's {@code ip:port}
 * @param service the address it connected to ({@code ip:port}, the ClusterIP)
 * @param protocol {@code TCP} or {@code UDP}
 * @param result {@code OK} (delayed) or the errno / {@code APP_TIMEOUT}
 * @param backend the {@code ip:port} that accepted it, else {@code null}
 * @param startSeconds when the application called connect, simulated seconds
 * @param endSeconds when the outcome was known, simulated seconds
 * @param synRetransmissions SYN retransmissions the client's stack sent
 * @param chain the decisions in time order
 * @param summary one paragraph in an operator's terms
 */
public record Explanation(String client, String service, String protocol, String result, String backend,
                          double startSeconds, double endSeconds, int synRetransmissions,
                          List<Decision> chain, String summary) {

    /**
     * One decision.
     *
     * @param seconds simulated time
     * @param where the namespace or component that decided ({@code node-1}, {@code control-plane}, {@code client-0})
     * @param what what was decided, in words
     * @param entry the table entry, rule, sysctl or kernel switch that decided it, as the real tool prints it, or {@code null}
     */
    public record Decision(double seconds, String where, String what, String entry) {
    }
}
