package io.svclab.k8s.kubeproxy;

import io.svclab.net.IpProto;
import io.svclab.net.Ip4;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsDest;
import io.svclab.net.ipvs.IpvsException;
import io.svclab.net.ipvs.IpvsService;
import io.svclab.sim.Priority;
import io.svclab.sim.Simulation;
import io.svclab.sim.Timer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-proxy's {@code GracefulTerminationManager} ({@code pkg/proxy/ipvs/graceful_termination.go})
 * on the simulated clock (spec ipvs-kube-proxy.md §5.4):
 * <ul>
 *   <li>{@link #gracefulDeleteRs}: delete the real server at once when its protocol needs no
 *       graceful termination (UDP) or when {@code ActiveConn + InActConn == 0}; otherwise set its
 *       weight to 0 and list it;</li>
 *   <li>{@link #tryDeleteRs}, every {@link #CHECK_INTERVAL_NS} from {@link #start()} (the first
 *       run at start, {@code wait.Until}): the same test for every listed real server; deleted
 *       or vanished ones leave the list;</li>
 *   <li>{@link #moveOutOfList}: a listed real server that is wanted again is deleted at once,
 *       whatever its connections, for the proxier to add it again with weight 1.</li>
 * </ul>
 * The list keeps insertion order (kube-proxy's is a Go map: the order of deletions within one
 * check is unspecified there; here it is the order of listing).
 */
public final class GracefulTerminationManager {

    /** {@code rsCheckDeleteInterval}. */
    public static final long CHECK_INTERVAL_NS = 60_000_000_000L;

    private record Item(int proto, int vaddr, int vport, int raddr, int rport) {
        String unique() {
            return KubeProxy.uniqueRs(proto, vaddr, vport, raddr, rport);
        }
    }

    private final Ipvs ipvs;
    private final Timer timer;
    private final Map<String, Item> list = new LinkedHashMap<>();
    private long deletions;

    GracefulTerminationManager(Simulation sim, Ipvs ipvs) {
        this.ipvs = ipvs;
        this.timer = sim.timer(Priority.TIMER, this::check);
    }

    /** Starts the check loop: a check now, then every 60 s. */
    void start() {
        timer.scheduleIn(0);
    }

    private void check() {
        tryDeleteRs();
        timer.scheduleIn(CHECK_INTERVAL_NS);
    }

    /** Whether a real server ({@code vs/ip:port}) is waiting for its connections to end. */
    public boolean inTerminationList(String uniqueRs) {
        return list.containsKey(uniqueRs);
    }

    /** The waiting real servers, {@code TCP/10.96.0.10:80/10.244.1.2:8080}, in listing order. */
    public List<String> terminationList() {
        return new ArrayList<>(list.keySet());
    }

    /** Real servers deleted by the manager so far (at once or after waiting). */
    public long deletions() {
        return deletions;
    }

    /** {@code GracefulDeleteRS}. */
    void gracefulDeleteRs(IpvsService vs, int raddr, int rport) {
        Item item = new Item(vs.proto(), vs.addr(), vs.port(), raddr, rport);
        if (deleteRs(item)) {
            return;
        }
        IpvsDest d = vs.dest(raddr, rport);
        try {
            ipvs.editDest(vs, raddr, rport, d.forwarding(), 0, d.upperThreshold(), d.lowerThreshold());
        } catch (IpvsException e) {
            throw new IllegalStateException("weight 0 for " + item.unique() + ": " + e.getMessage(), e);
        }
        list.put(item.unique(), item);
    }

    /** {@code MoveRSOutofGracefulDeleteList}: deletes the real server now and unlists it. */
    void moveOutOfList(String uniqueRs) {
        Item item = list.remove(uniqueRs);
        if (item == null) {
            return;
        }
        IpvsService vs = ipvs.service(item.proto, item.vaddr, item.vport);
        if (vs != null && vs.dest(item.raddr, item.rport) != null) {
            delete(vs, item);
        }
    }

    /** {@code tryDeleteRs}: one pass over the list. */
    public void tryDeleteRs() {
        for (Item item : new ArrayList<>(list.values())) {
            if (deleteRs(item)) {
                list.remove(item.unique());
            }
        }
    }

    /** {@code deleteRsFunc}: true when deleted or gone. */
    private boolean deleteRs(Item item) {
        IpvsService vs = ipvs.service(item.proto, item.vaddr, item.vport);
        if (vs == null) {
            return false;
        }
        IpvsDest d = vs.dest(item.raddr, item.rport);
        if (d == null) {
            return true;
        }
        boolean graceful = item.proto == IpProto.TCP;
        if (graceful && (long) d.activeConns() + d.inactConns() != 0) {
            return false;
        }
        delete(vs, item);
        return true;
    }

    private void delete(IpvsService vs, Item item) {
        try {
            ipvs.deleteDest(vs, item.raddr, item.rport);
            deletions++;
        } catch (IpvsException e) {
            throw new IllegalStateException("delete " + Ip4.endpoint(item.raddr, item.rport) + ": " + e.getMessage(), e);
        }
    }
}
