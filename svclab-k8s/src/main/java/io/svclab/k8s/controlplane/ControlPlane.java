package io.svclab.k8s.controlplane;

import io.svclab.k8s.EndpointSlice;
import io.svclab.k8s.Pod;
import io.svclab.sim.Action;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Kubernetes control plane and kubelet for Deployments on the simulated clock: the Deployment
 * controller's rolling update, the ReplicaSet controller, the kubelet's pod lifecycle and
 * termination sequence, and the EndpointSlice controller with per-subscriber watch delays. See
 * the package documentation for the model and its limits.
 *
 * <p>Every change runs at {@link Priority#CONTROL}. After each change the controllers reconcile
 * to a fixed point within the same instant, then every Service whose slice changed publishes one
 * new generation.
 */
public final class ControlPlane {

    /** The kubelet's {@code minimumGracePeriodInSeconds}: at least 2 s between SIGTERM and SIGKILL. */
    public static final long MIN_KILL_GRACE_NS = 2_000_000_000L;

    private static final String SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private final Simulation sim;
    private final PodRuntime runtime;
    private final Map<String, ServiceState> services = new LinkedHashMap<>();
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, PodRec> pods = new LinkedHashMap<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<PodEvent> events = new ArrayList<>();
    private final List<Consumer<PodEvent>> eventListeners = new ArrayList<>();

    /**
     * @param sim the simulation whose clock drives every controller
     * @param runtime the datapath side that creates, starts, stops and destroys pods
     */
    public ControlPlane(Simulation sim, PodRuntime runtime) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    // ----------------------------------------------------------------------------------- API

    /**
     * Registers a Service and publishes its first, empty EndpointSlice (generation 1).
     *
     * @param targetPort the port every endpoint carries
     */
    public void addService(String name, int targetPort) {
        if (services.containsKey(name)) {
            throw new IllegalArgumentException("service '" + name + "' exists already");
        }
        services.put(name, new ServiceState(name, targetPort));
        publish();
    }

    /**
     * Creates a Deployment now: its first ReplicaSet (revision 1) and, through the rolling-update
     * logic, its pods {@code <name>-0 … <name>-(replicas-1)} in ordinal order.
     */
    public void addDeployment(DeploymentSpec spec) {
        if (deployments.containsKey(spec.name())) {
            throw new IllegalArgumentException("deployment '" + spec.name() + "' exists already");
        }
        if (!services.containsKey(spec.service())) {
            throw new IllegalArgumentException("deployment '" + spec.name() + "': unknown service '"
                    + spec.service() + "'");
        }
        Deployment d = new Deployment(spec);
        deployments.put(spec.name(), d);
        d.newReplicaSet(sim.now());
        changed();
    }

    /**
     * {@code kubectl rollout restart deployment/<name>}: a new revision (a new pod template hash,
     * as the {@code kubectl.kubernetes.io/restartedAt} annotation changes it) and a rolling update
     * towards it. During a rollout in progress the previous new ReplicaSet becomes an old one.
     */
    public void rolloutRestart(String deployment) {
        Deployment d = deployment(deployment);
        d.newReplicaSet(sim.now());
        changed();
    }

    /** {@code kubectl scale deployment/<name> --replicas=N}. */
    public void scale(String deployment, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        Deployment d = deployment(deployment);
        d.replicas = replicas;
        changed();
    }

    /**
     * {@code kubectl delete pod <name>}: the graceful termination sequence (preStop, SIGTERM,
     * SIGKILL at the end of the grace period, sandbox teardown) starts now, and the pod's
     * ReplicaSet replaces it at once with the next ordinal, since a terminating pod is no longer
     * active.
     */
    public void deletePod(String podName) {
        PodRec p = pods.get(podName);
        if (p == null || p.gone) {
            throw new IllegalArgumentException("no pod '" + podName + "'");
        }
        if (p.terminating) {
            return;
        }
        deletePod(p);
        changed();
    }

    /**
     * Removes a pod at once, as if its node vanished or it was force-deleted with its sandbox: no
     * preStop, no signal, no process exit — {@link PodRuntime#destroy(Pod)} only (its address
     * vanishes, no FIN, no RST). Its ReplicaSet replaces it at once with the next ordinal.
     */
    public void vanishPod(String podName) {
        PodRec p = pods.get(podName);
        if (p == null || p.gone) {
            throw new IllegalArgumentException("no pod '" + podName + "'");
        }
        p.exited = true;
        p.listening = false;
        p.ready = false;
        p.terminating = true;
        destroy(p);
    }

    /**
     * Subscribes to every Service's EndpointSlice. The listener receives the current slice of each
     * Service at once, before this method returns (the initial list of a component that starts
     * with the cluster already running), then every later generation, each {@code watchDelayNs}
     * after it was published, in publication order. Subscribe after adding the scenario's
     * Services and Deployments so that pods ready at t=0 are known at t=0.
     */
    public void subscribe(EndpointSlice.Listener listener, long watchDelayNs) {
        if (watchDelayNs < 0) {
            throw new IllegalArgumentException("watch delay must not be negative: " + watchDelayNs);
        }
        Subscriber s = new Subscriber(listener, watchDelayNs);
        subscribers.add(s);
        for (ServiceState svc : services.values()) {
            listener.onSlice(svc.current);
        }
    }

    /** Told of every {@link PodEvent} as it happens. */
    public void addEventListener(Consumer<PodEvent> listener) {
        eventListeners.add(Objects.requireNonNull(listener));
    }

    /** The current (undelayed) EndpointSlice of a Service. */
    public EndpointSlice slice(String service) {
        ServiceState s = services.get(service);
        if (s == null) {
            throw new IllegalArgumentException("no service '" + service + "'");
        }
        return s.current;
    }

    /** Every pod event so far, in order. */
    public List<PodEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The pods that still exist (not yet destroyed), in creation order. */
    public List<PodStatus> pods() {
        List<PodStatus> out = new ArrayList<>();
        for (PodRec p : pods.values()) {
            if (!p.gone) {
                out.add(p.status());
            }
        }
        return out;
    }

    /** A pod by name, if it still exists. */
    public Optional<PodStatus> pod(String name) {
        PodRec p = pods.get(name);
        return p == null || p.gone ? Optional.empty() : Optional.of(p.status());
    }

    /** A Deployment's ReplicaSets, oldest first. */
    public List<ReplicaSetStatus> replicaSets(String deployment) {
        List<ReplicaSetStatus> out = new ArrayList<>();
        for (Rs rs : deployment(deployment).rss) {
            out.add(new ReplicaSetStatus(rs.name, rs.revision, rs.replicas, rs.active().size(), rs.available()));
        }
        return out;
    }

    /** A Deployment's desired replicas. */
    public int replicas(String deployment) {
        return deployment(deployment).replicas;
    }

    /**
     * Whether a Deployment's rollout is complete: the newest ReplicaSet has all desired replicas
     * available and no old pod remains (terminating ones included).
     */
    public boolean rolloutComplete(String deployment) {
        Deployment d = deployment(deployment);
        Rs newRs = d.newRs();
        if (newRs.replicas != d.replicas || newRs.available() != d.replicas || newRs.active().size() != d.replicas) {
            return false;
        }
        for (PodRec p : pods.values()) {
            if (!p.gone && p.deployment == d && p.rs != newRs) {
                return false;
            }
        }
        return true;
    }

    private Deployment deployment(String name) {
        Deployment d = deployments.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no deployment '" + name + "'");
        }
        return d;
    }

    // ------------------------------------------------------------------ controllers, fixed point

    /** Reconciles every Deployment and ReplicaSet to a fixed point, then publishes slices. */
    private void changed() {
        boolean again = true;
        int rounds = 0;
        while (again) {
            if (++rounds > 10_000) {
                throw new IllegalStateException("controllers did not settle");
            }
            again = false;
            for (Deployment d : deployments.values()) {
                again |= syncDeployment(d);
                for (Rs rs : d.rss) {
                    again |= manageReplicas(d, rs);
                }
            }
        }
        publish();
    }

    /**
     * {@code rolloutRolling}: scale the new ReplicaSet up if it can; otherwise scale old ones
     * down if it can. Returns whether a ReplicaSet's replicas changed.
     */
    private boolean syncDeployment(Deployment d) {
        return reconcileNewReplicaSet(d) || reconcileOldReplicaSets(d);
    }

    private boolean reconcileNewReplicaSet(Deployment d) {
        Rs newRs = d.newRs();
        if (newRs.replicas == d.replicas) {
            return false;
        }
        if (newRs.replicas > d.replicas) {
            newRs.replicas = d.replicas;
            return true;
        }
        // deploymentutil.NewRSNewReplicas
        int surge = d.fenceposts()[0];
        int current = d.specReplicasSum();
        int maxTotal = d.replicas + surge;
        if (current >= maxTotal) {
            return false;
        }
        int scaleUp = Math.min(maxTotal - current, d.replicas - newRs.replicas);
        newRs.replicas += scaleUp;
        return scaleUp > 0;
    }

    private boolean reconcileOldReplicaSets(Deployment d) {
        Rs newRs = d.newRs();
        List<Rs> old = d.oldActive();
        int oldCount = 0;
        for (Rs rs : old) {
            oldCount += rs.replicas;
        }
        if (oldCount == 0) {
            return false;
        }
        int minAvailable = d.replicas - d.maxUnavailable();
        int newUnavailable = newRs.replicas - newRs.available();
        int maxScaledDown = d.specReplicasSum() - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        // cleanupUnhealthyReplicas: old ReplicaSets' unavailable pods first, oldest ReplicaSet first
        int cleaned = 0;
        for (Rs rs : old) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int unavailable = rs.replicas - rs.available();
            if (rs.replicas == 0 || unavailable <= 0) {
                continue;
            }
            int n = Math.min(maxScaledDown - cleaned, unavailable);
            rs.replicas -= n;
            cleaned += n;
        }
        // scaleDownOldReplicaSetsForRollingUpdate
        int available = 0;
        for (Rs rs : d.rss) {
            available += rs.available();
        }
        int scaledDown = 0;
        if (available > minAvailable) {
            int total = available - minAvailable;
            for (Rs rs : old) {
                if (scaledDown >= total) {
                    break;
                }
                if (rs.replicas == 0) {
                    continue;
                }
                int n = Math.min(rs.replicas, total - scaledDown);
                rs.replicas -= n;
                scaledDown += n;
            }
        }
        return cleaned + scaledDown > 0;
    }

    /** The ReplicaSet controller's {@code manageReplicas}: create or delete pods to match. */
    private boolean manageReplicas(Deployment d, Rs rs) {
        List<PodRec> active = rs.active();
        int diff = active.size() - rs.replicas;
        if (diff < 0) {
            for (int i = 0; i < -diff; i++) {
                createPod(d, rs);
            }
            return true;
        }
        if (diff > 0) {
            List<PodRec> ranked = new ArrayList<>(active);
            ranked.sort(DELETION_ORDER);
            for (int i = 0; i < diff; i++) {
                deletePod(ranked.get(i));
            }
            return true;
        }
        return false;
    }

    /**
     * Which pods a ReplicaSet deletes first (a reduced {@code controller.ActivePodsWithRanks}):
     * not ready before ready; of two ready pods the one ready more recently; then the newer
     * creation; then the higher ordinal.
     */
    private static final Comparator<PodRec> DELETION_ORDER = (a, b) -> {
        if (a.ready != b.ready) {
            return a.ready ? 1 : -1;
        }
        if (a.ready && a.readyAtNs != b.readyAtNs) {
            return Long.compare(b.readyAtNs, a.readyAtNs);
        }
        if (a.createdNs != b.createdNs) {
            return Long.compare(b.createdNs, a.createdNs);
        }
        return Integer.compare(b.ordinal, a.ordinal);
    };

    // ------------------------------------------------------------------------- pod lifecycle

    private void createPod(Deployment d, Rs rs) {
        int ordinal = d.nextOrdinal++;
        String name = d.spec.name() + "-" + ordinal;
        int ip = ordinal < d.spec.podIPs().size() ? d.spec.podIPs().get(ordinal) : 0;
        Pod pod = runtime.create(name, d.spec.name(), ip);
        PodRec p = new PodRec(name, ordinal, d, rs, pod, sim.now());
        pods.put(name, p);
        rs.pods.add(p);
        event(PodEvent.Kind.CREATED, p);
        PodTemplate t = d.spec.template();
        if (t.startupNs() == 0) {
            listen(p);
        } else {
            at(sim.now() + t.startupNs(), new PodAction("startup", p, () -> {
                listen(p);
                changed();
            }));
        }
    }

    private void listen(PodRec p) {
        if (p.exited) {
            return;
        }
        p.listening = true;
        runtime.startServing(p.pod);
        event(PodEvent.Kind.LISTENING, p);
        long delay = p.deployment.spec.template().readinessDelayNs();
        if (delay == 0) {
            becomeReady(p);
        } else {
            at(sim.now() + delay, new PodAction("readiness", p, () -> {
                if (!p.exited) {
                    becomeReady(p);
                    changed();
                }
            }));
        }
    }

    private void becomeReady(PodRec p) {
        p.ready = true;
        p.readyAtNs = sim.now();
        event(PodEvent.Kind.READY, p);
    }

    /**
     * The deletion timestamp: the endpoint turns terminating at once; preStop runs; SIGTERM after
     * it; SIGKILL at the end of the grace period (never less than 2 s after SIGTERM).
     */
    private void deletePod(PodRec p) {
        p.terminating = true;
        p.deletedNs = sim.now();
        event(PodEvent.Kind.DELETED, p);
        PodTemplate t = p.deployment.spec.template();
        long grace = t.terminationGracePeriodNs();
        long preStop = Math.min(t.preStopNs(), grace);
        long sigtermAt = sim.now() + preStop;
        long sigkillAt = sigtermAt + Math.max(grace - preStop, MIN_KILL_GRACE_NS);
        at(sigtermAt, new PodAction("sigterm", p, () -> {
            if (p.exited) {
                return;
            }
            event(PodEvent.Kind.SIGTERM, p);
            if (t.onSigterm() == OnSigterm.EXIT) {
                exit(p);
            }
            changed();
        }));
        at(sigkillAt, new PodAction("sigkill", p, () -> {
            if (p.exited) {
                return;
            }
            event(PodEvent.Kind.SIGKILL, p);
            exit(p);
            changed();
        }));
    }

    /** The process is gone; the sandbox is torn down right after, at the same instant. */
    private void exit(PodRec p) {
        p.exited = true;
        p.listening = false;
        p.ready = false;
        runtime.processExit(p.pod);
        event(PodEvent.Kind.EXITED, p);
        at(sim.now(), new PodAction("teardown", p, () -> {
            destroy(p);
        }));
    }

    private void destroy(PodRec p) {
        if (p.gone) {
            return;
        }
        p.gone = true;
        runtime.destroy(p.pod);
        p.rs.pods.remove(p);
        event(PodEvent.Kind.DESTROYED, p);
        changed();
    }

    private void at(long timeNs, Action action) {
        sim.schedule(timeNs, Priority.CONTROL, action);
    }

    private void event(PodEvent.Kind kind, PodRec p) {
        PodEvent e = new PodEvent(sim.now(), kind, p.name);
        events.add(e);
        io.svclab.net.trace.Trace t = p.pod.ns() == null ? io.svclab.net.trace.Trace.NONE : p.pod.ns().trace();
        if (t.enabled()) {
            t.emit(new io.svclab.net.trace.PodChanged(e.timeNs(), kind == PodEvent.Kind.CREATED
                    || kind == PodEvent.Kind.DELETED || kind == PodEvent.Kind.READY ? "control-plane" : "kubelet",
                    p.name, p.pod.ip(), kind.name(), describe(kind, p)));
        }
        for (Consumer<PodEvent> l : eventListeners) {
            l.accept(e);
        }
    }

    /** A pod lifecycle event in an operator's words (traces, explanations). */
    private static String describe(PodEvent.Kind kind, PodRec p) {
        String ip = io.svclab.net.Ip4.format(p.pod.ip());
        switch (kind) {
            case CREATED:
                return "pod " + p.name + " (" + ip + ") created by its ReplicaSet";
            case LISTENING:
                return "pod " + p.name + " listens";
            case READY:
                return "pod " + p.name + " ready: its endpoint is ready";
            case DELETED:
                return "pod " + p.name + " (" + ip + ") deleted (deletion timestamp): its endpoint turns terminating";
            case SIGTERM:
                return "SIGTERM to pod " + p.name;
            case SIGKILL:
                return "SIGKILL to pod " + p.name + " at the end of its grace period";
            case EXITED:
                return "pod " + p.name + "'s process exited: nothing listens any more";
            case DESTROYED:
                return "pod " + p.name + " torn down: " + ip + " removed from the network";
            default:
                return "pod " + p.name + " " + kind;
        }
    }

    // ------------------------------------------------------------------- EndpointSlice controller

    private void publish() {
        for (ServiceState svc : services.values()) {
            List<EndpointSlice.Endpoint> eps = new ArrayList<>();
            for (Deployment d : deployments.values()) {
                if (!d.spec.service().equals(svc.name)) {
                    continue;
                }
                for (PodRec p : pods.values()) {
                    if (p.deployment == d && !p.gone) {
                        eps.add(new EndpointSlice.Endpoint(p.name, p.pod.ip(), svc.targetPort,
                                p.ready && !p.terminating, p.ready, p.terminating));
                    }
                }
            }
            if (svc.current != null && svc.current.endpoints().equals(eps)) {
                continue;
            }
            svc.generation++;
            svc.current = new EndpointSlice(svc.name, svc.generation, eps);
            for (Subscriber s : subscribers) {
                deliver(s, svc.current);
            }
        }
    }

    private void deliver(Subscriber s, EndpointSlice slice) {
        at(sim.now() + s.delayNs, new Action() {
            @Override
            public void run() {
                s.listener.onSlice(slice);
            }

            @Override
            public String describe() {
                return "EndpointSlice " + slice.service() + " generation " + slice.generation();
            }
        });
    }

    // ----------------------------------------------------------------------------------- state

    private final class Deployment {
        final DeploymentSpec spec;
        int replicas;
        final List<Rs> rss = new ArrayList<>();
        int nextOrdinal;
        int revisions;

        Deployment(DeploymentSpec spec) {
            this.spec = spec;
            this.replicas = spec.replicas();
        }

        Rs newRs() {
            return rss.get(rss.size() - 1);
        }

        void newReplicaSet(long restartedAtNs) {
            revisions++;
            String hash = templateHash(spec, revisions, restartedAtNs);
            rss.add(new Rs(spec.name() + "-" + hash, revisions));
        }

        /** Old ReplicaSets, oldest first (all of them: inactive ones are skipped by replicas 0). */
        List<Rs> oldActive() {
            return rss.subList(0, rss.size() - 1);
        }

        int specReplicasSum() {
            int sum = 0;
            for (Rs rs : rss) {
                sum += rs.replicas;
            }
            return sum;
        }

        int[] fenceposts() {
            return DeploymentSpec.resolveFenceposts(spec.maxSurge(), spec.maxUnavailable(), replicas);
        }

        /** {@code deploymentutil.MaxUnavailable}. */
        int maxUnavailable() {
            if (replicas == 0) {
                return 0;
            }
            return Math.min(fenceposts()[1], replicas);
        }
    }

    private static final class Rs {
        final String name;
        final int revision;
        int replicas;
        final List<PodRec> pods = new ArrayList<>();

        Rs(String name, int revision) {
            this.name = name;
            this.revision = revision;
        }

        List<PodRec> active() {
            List<PodRec> out = new ArrayList<>();
            for (PodRec p : pods) {
                if (!p.terminating) {
                    out.add(p);
                }
            }
            return out;
        }

        int available() {
            int n = 0;
            for (PodRec p : pods) {
                if (!p.terminating && p.ready) {
                    n++;
                }
            }
            return n;
        }
    }

    private static final class PodRec {
        final String name;
        final int ordinal;
        final Deployment deployment;
        final Rs rs;
        final Pod pod;
        final long createdNs;
        boolean listening;
        boolean ready;
        long readyAtNs;
        boolean terminating;
        long deletedNs;
        boolean exited;
        boolean gone;

        PodRec(String name, int ordinal, Deployment deployment, Rs rs, Pod pod, long createdNs) {
            this.name = name;
            this.ordinal = ordinal;
            this.deployment = deployment;
            this.rs = rs;
            this.pod = pod;
            this.createdNs = createdNs;
        }

        PodStatus status() {
            return new PodStatus(name, deployment.spec.name(), rs.name, ordinal, pod.ip(), createdNs, listening,
                    ready, terminating, exited);
        }
    }

    private static final class ServiceState {
        final String name;
        final int targetPort;
        long generation;
        EndpointSlice current;

        ServiceState(String name, int targetPort) {
            this.name = name;
            this.targetPort = targetPort;
        }
    }

    private record Subscriber(EndpointSlice.Listener listener, long delayNs) {
    }

    /** A scheduled step of one pod's life, described for event traces. */
    private record PodAction(String what, PodRec p, Runnable body) implements Action {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public String describe() {
            return "pod " + p.name + " " + what;
        }
    }

    /**
     * The pod template hash: FNV-1a (32 bit) over the Deployment name, template, revision and
     * restart instant, encoded like {@code rand.SafeEncodeString} (the encoding Kubernetes uses;
     * the hashed bytes differ from the real object's).
     */
    static String templateHash(DeploymentSpec spec, int revision, long restartedAtNs) {
        String text = spec.name() + "|" + spec.template() + "|" + revision + "|" + restartedAtNs;
        int h = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        String decimal = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder sb = new StringBuilder(decimal.length());
        for (int i = 0; i < decimal.length(); i++) {
            sb.append(SAFE_ALPHANUMS.charAt(decimal.charAt(i) % SAFE_ALPHANUMS.length()));
        }
        return sb.toString();
    }
}
