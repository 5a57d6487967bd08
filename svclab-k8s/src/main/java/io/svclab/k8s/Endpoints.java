package io.svclab.k8s;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ready endpoints of each Service, kept as the pods of its deployments change phase, and the
 * listeners (proxiers) told of every change. This build's control plane is deliberately small: a
 * pod listens at {@code startup}, becomes ready {@code readinessDelay} later, and a deleted pod
 * leaves at once; rolling updates, EndpointSlice conditions and watch delays come with the
 * control-plane model.
 */
public final class Endpoints {

    /** Told after the ready endpoints of some Service changed. */
    @FunctionalInterface
    public interface Listener {
        void endpointsChanged();
    }

    private final Map<String, List<Pod>> byService = new TreeMap<>();
    private final Map<String, String> serviceOfDeployment = new TreeMap<>();
    private final List<Listener> listeners = new ArrayList<>();

    /** Declares that a deployment's pods back a Service. */
    public void bind(String deployment, String service) {
        serviceOfDeployment.put(deployment, service);
        byService.computeIfAbsent(service, k -> new ArrayList<>());
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Moves a pod to a phase; listeners hear of it when the Service's ready set changed. */
    public void setPhase(Pod pod, PodPhase phase) {
        boolean wasReady = pod.phase == PodPhase.READY;
        pod.phase = phase;
        boolean ready = phase == PodPhase.READY;
        String svc = serviceOfDeployment.get(pod.owner());
        if (svc == null || wasReady == ready) {
            return;
        }
        List<Pod> list = byService.get(svc);
        if (ready) {
            list.add(pod);
        } else {
            list.remove(pod);
        }
        for (Listener l : listeners) {
            l.endpointsChanged();
        }
    }

    /** The ready pods of a Service, in the order they became ready. */
    public List<Pod> ready(String service) {
        List<Pod> l = byService.get(service);
        return l == null ? List.of() : Collections.unmodifiableList(l);
    }
}
