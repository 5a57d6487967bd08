package io.svclab.run;

import io.svclab.net.NetNamespace;
import io.svclab.net.trace.Trace;
import io.svclab.scenario.Scenario;

import java.util.function.Consumer;

/**
 * A {@link Runner} whose first node is given state of its own once the world is built (kube-proxy
 * has started, its rules are in place) and before the clock runs: {@code run --from-dumps}.
 */
public final class SeededRunner {

    private SeededRunner() {
    }

    /** A runner that calls {@code seed} with the first node's namespace before time 0. */
    public static Runner of(Scenario scenario, Trace trace, Consumer<NetNamespace> seed) {
        return new Runner(scenario, trace, w -> seed.accept(w.node()));
    }
}
