package io.svclab.net;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.trace.DropReason;
import io.svclab.net.trace.NeighbourChanged;
import io.svclab.sim.Priority;
import io.svclab.sim.Timer;

/**
 * One neighbour (ARP) entry: the state machine of {@code __neigh_event_send} and
 * {@code neigh_timer_handler} (net/core/neighbour.c) with the IPv4 defaults of {@code arp_tbl}.
 *
 * <ul>
 *   <li>First use: INCOMPLETE, probes counter set to {@code ucast_solicit}, one broadcast request
 *       at once and one every {@code retrans_time}; after {@code mcast_solicit} requests without a
 *       reply (probes reach ucast+mcast) FAILED: each queued packet gets ICMP host unreachable
 *       ({@code arp_error_report}), about 3 s after the first packet.</li>
 *   <li>Reply: REACHABLE for the device's randomised {@code reachable_time}, queue flushed.</li>
 *   <li>REACHABLE expires to DELAY (used recently) or STALE; a STALE entry used again goes to
 *       DELAY; after {@code delay_first_probe_time} without confirmation PROBE sends
 *       {@code ucast_solicit} unicast probes, then FAILED. In STALE, DELAY and PROBE packets go
 *       to the cached MAC: if its owner is gone they vanish silently.</li>
 * </ul>
 */
public final class Neighbour extends Timer {

    private final NetInterface dev;
    private final int addr;
    private NeighbourState state;
    private int mac;
    private int probes;
    private long confirmed = Long.MIN_VALUE / 4;
    private long used = Long.MIN_VALUE / 4;
    private Packet[] queue = new Packet[4];
    private int queued;

    Neighbour(NetInterface dev, int addr) {
        super(dev.namespace().network().sim(), Priority.EXPIRY);
        this.dev = dev;
        this.addr = addr;
        this.state = NeighbourState.FAILED;
    }

    public NeighbourState state() {
        return state;
    }

    public int address() {
        return addr;
    }

    /** The cached link-layer address (meaningful outside INCOMPLETE/FAILED). */
    public int mac() {
        return mac;
    }

    /** Packets waiting for resolution. */
    public int queued() {
        return queued;
    }

    private Sysctls sysctls() {
        return dev.namespace().sysctls();
    }

    private long retransNs() {
        return Math.max(sysctls().get(Sysctl.NET_IPV4_NEIGH_RETRANS_TIME_MS) * 1_000_000L, 10_000_000L);
    }

    private long delayProbeNs() {
        return sysctls().get(Sysctl.NET_IPV4_NEIGH_DELAY_FIRST_PROBE_TIME) * 1_000_000_000L;
    }

    private int maxProbes() {
        Sysctls s = sysctls();
        int ucast = s.get(Sysctl.NET_IPV4_NEIGH_UCAST_SOLICIT);
        // mcast_reprobes is 0 for ARP: PROBE allows ucast_solicit probes, INCOMPLETE adds mcast_solicit
        return state == NeighbourState.PROBE ? ucast : ucast + s.get(Sysctl.NET_IPV4_NEIGH_MCAST_SOLICIT);
    }

    private void setState(NeighbourState to) {
        NeighbourState from = state;
        state = to;
        if (from != to && dev.namespace().trace().enabled()) {
            dev.namespace().trace().emit(new NeighbourChanged(sim().now(), dev.namespace().name(), dev.name(),
                    Ip4.format(addr), from.name(), to.name()));
        }
    }

    private io.svclab.sim.Simulation sim() {
        return dev.namespace().network().sim();
    }

    /** Output of one packet through this entry ({@code neigh_resolve_output}). */
    void output(Packet p) {
        long now = sim().now();
        used = now;
        switch (state) {
            case REACHABLE:
            case DELAY:
            case PROBE:
                dev.segment().transmit(dev, mac, p);
                return;
            case STALE:
                setState(NeighbourState.DELAY);
                schedule(now + delayProbeNs());
                dev.segment().transmit(dev, mac, p);
                return;
            case INCOMPLETE:
                enqueue(p);
                return;
            case FAILED:
            default:
                setState(NeighbourState.INCOMPLETE);
                probes = sysctls().get(Sysctl.NET_IPV4_NEIGH_UCAST_SOLICIT);
                enqueue(p);
                schedule(now + retransNs());
                probe();
        }
    }

    private void enqueue(Packet p) {
        int limit = Math.max(1, sysctls().get(Sysctl.NET_IPV4_NEIGH_UNRES_QLEN));
        if (queued >= limit) {
            // __neigh_event_send drops the oldest queued packet to make room
            Packet oldest = queue[0];
            System.arraycopy(queue, 1, queue, 0, queued - 1);
            queued--;
            dev.namespace().drop(oldest, DropReason.NEIGH_QUEUE_FULL);
        }
        if (queued == queue.length) {
            queue = java.util.Arrays.copyOf(queue, queued * 2);
        }
        queue[queued++] = p;
    }

    /** Sends one ARP request: broadcast in INCOMPLETE, unicast to the cached MAC in PROBE. */
    private void probe() {
        probes++;
        boolean unicast = state == NeighbourState.PROBE;
        dev.namespace().network().arpRequest(this, dev, addr, unicast ? mac : 0);
    }

    /** An ARP reply (or another confirmation) with the neighbour's MAC ({@code neigh_update} to REACHABLE). */
    void confirm(int lladdr) {
        long now = sim().now();
        if (state == NeighbourState.FAILED && queued == 0 && !isPending()) {
            // a late reply for an entry that gave up: the kernel keeps FAILED until the next use
            return;
        }
        mac = lladdr;
        confirmed = now;
        setState(NeighbourState.REACHABLE);
        schedule(now + dev.reachableTimeNs);
        flushQueue();
    }

    /** Learns the sender of an ARP request addressed to us ({@code neigh_event_ns}: STALE unless unchanged). */
    void learn(int lladdr) {
        if (state != NeighbourState.FAILED && state != NeighbourState.INCOMPLETE && mac == lladdr) {
            return;
        }
        mac = lladdr;
        cancel();
        setState(NeighbourState.STALE);
        flushQueue();
    }

    private void flushQueue() {
        drainQueue(true);
    }

    /** {@code neigh_timer_handler}. */
    @Override
    protected void fire() {
        long now = sim().now();
        long next;
        switch (state) {
            case REACHABLE:
                if (now <= confirmed + dev.reachableTimeNs) {
                    next = confirmed + dev.reachableTimeNs;
                } else if (now <= used + delayProbeNs()) {
                    setState(NeighbourState.DELAY);
                    next = now + delayProbeNs();
                } else {
                    setState(NeighbourState.STALE);
                    return;
                }
                break;
            case DELAY:
                if (now <= confirmed + delayProbeNs()) {
                    setState(NeighbourState.REACHABLE);
                    next = confirmed + dev.reachableTimeNs;
                } else {
                    setState(NeighbourState.PROBE);
                    probes = 0;
                    next = now + retransNs();
                }
                break;
            case INCOMPLETE:
            case PROBE:
                next = now + retransNs();
                break;
            default:
                return;
        }
        if ((state == NeighbourState.INCOMPLETE || state == NeighbourState.PROBE) && probes >= maxProbes()) {
            setState(NeighbourState.FAILED);
            invalidate();
            return;
        }
        schedule(Math.max(next, now + 10_000_000L));
        if (state == NeighbourState.INCOMPLETE || state == NeighbourState.PROBE) {
            probe();
        }
    }

    /** {@code neigh_invalidate}: every queued packet is reported unreachable ({@code arp_error_report}). */
    private void invalidate() {
        drainQueue(false);
    }

    /** Empties the queue: transmits each packet to the resolved MAC, or reports its link failure. */
    private void drainQueue(boolean transmit) {
        int n = queued;
        Packet[] q = queue;
        queued = 0;
        for (int i = 0; i < n; i++) {
            Packet p = q[i];
            q[i] = null;
            if (transmit) {
                dev.segment().transmit(dev, mac, p);
            } else {
                dev.namespace().linkFailure(p);
            }
        }
    }

    /** The device went away: drop what waits, stop the timer. */
    void destroy() {
        cancel();
        for (int i = 0; i < queued; i++) {
            dev.namespace().drop(queue[i], DropReason.DEVICE_DOWN);
            queue[i] = null;
        }
        queued = 0;
    }
}
