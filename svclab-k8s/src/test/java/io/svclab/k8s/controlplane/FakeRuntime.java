package io.svclab.k8s.controlplane;

import io.svclab.k8s.Pod;
import io.svclab.sim.Simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Records every runtime call with its simulated time; allocates 10.244.1.100, .101, … when asked. */
final class FakeRuntime implements PodRuntime {

    private final Simulation sim;
    final List<String> calls = new ArrayList<>();
    private int nextHost = 100;

    FakeRuntime(Simulation sim) {
        this.sim = sim;
    }

    static String time(long ns) {
        return String.format(Locale.ROOT, "%d.%03ds", ns / 1_000_000_000L, ns / 1_000_000L % 1000);
    }

    private void record(String what, String pod) {
        calls.add(time(sim.now()) + " " + what + " " + pod);
    }

    @Override
    public Pod create(String podName, String deployment, int fixedIpOrZero) {
        int ip = fixedIpOrZero != 0 ? fixedIpOrZero : (10 << 24 | 244 << 16 | 1 << 8 | nextHost++);
        record("create", podName);
        return new Pod(podName, deployment, false, 1, ip, null);
    }

    @Override
    public void startServing(Pod pod) {
        record("listen", pod.name());
    }

    @Override
    public void processExit(Pod pod) {
        record("exit", pod.name());
    }

    @Override
    public void destroy(Pod pod) {
        record("destroy", pod.name());
    }

    List<String> only(String what) {
        List<String> out = new ArrayList<>();
        for (String c : calls) {
            if (c.split(" ")[1].equals(what)) {
                out.add(c);
            }
        }
        return out;
    }
}
