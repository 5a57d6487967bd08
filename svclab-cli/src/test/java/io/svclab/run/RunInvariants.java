package io.svclab.run;

import io.svclab.kernel.Sysctl;
import io.svclab.k8s.Pod;
import io.svclab.net.IpProto;
import io.svclab.net.L4Handler;
import io.svclab.net.Neighbour;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.Route;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsConn;
import io.svclab.net.ipvs.IpvsDest;
import io.svclab.net.ipvs.IpvsService;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.trace.LinkTransmitted;
import io.svclab.net.trace.PacketDropped;
import io.svclab.net.trace.Trace;
import io.svclab.net.trace.TraceEvent;
import io.svclab.scenario.Client;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.Step;
import io.svclab.sim.Action;
import io.svclab.sim.EventListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a scenario and checks the run invariants of the incident issue's acceptance line: every
 * SYN a client sent is accounted for, table sizes stay within their limits, no connection is
 * reported twice. Counts only; nothing per packet is kept beyond the SYN copies still open.
 *
 * <p><b>How a SYN's fate is matched.</b> A client SYN is a {@link LinkTransmitted} from a client
 * pod's namespace whose packet has only the SYN flag. From then on the same {@link Packet} object
 * travels hop by hop (NAT and IPVS rewrite it in place); {@code Packet.id} changes at every link
 * transmission, the {@code flowId} stays. The ledger therefore follows SYN <em>copies</em> per
 * {@code flowId}: a delivered client transmission opens one copy; the copy's arrival in a
 * namespace is the simulation event of that packet (seen through the simulation's
 * {@link EventListener}), and within that same event exactly one of these happens to it:
 * <ul>
 * <li>forwarded: a SYN {@link LinkTransmitted} of the same flow from that namespace (the copy
 *     stays open; lost on the link, {@code delivered=false}, closes it);</li>
 * <li>dropped: a {@link PacketDropped} of the same flow in that namespace (every hook DROP is one,
 *     with {@code NETFILTER_DROP});</li>
 * <li>delivered: the namespace's TCP received it (wrapped {@link L4Handler}): a socket took it or
 *     answered it (SYN-ACK, RST from a closed port);</li>
 * <li>parked: none of these, the packet waits in a neighbour (ARP) queue; it leaves it later by a
 *     forward or a drop ({@code NEIGH_FAILED}, {@code DEVICE_DOWN}) of that flow in that namespace.</li>
 * </ul>
 * At the end every open copy is in flight: on a link (transmitted, arrival event pending) or parked
 * in a namespace that still exists, in the queue of the neighbour entry of its output device and
 * next hop, which holds at least as many packets as SYNs are parked there. A copy that arrives
 * and vanishes without any event looks parked; its namespace is gone or its neighbour queue is
 * short, and the check fails.
 */
final class RunInvariants implements Trace, EventListener {

    private static final String SYN_ONLY = " tcp [S] ";

    private World world;
    private final Set<String> clientNs = new HashSet<>();
    private final Set<NetNamespace> wrapped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> violations = new ArrayList<>();

    /** Open SYN copies per flow (on a link or parked). */
    private final Map<Long, Integer> open = new HashMap<>();
    /** Parked copies per "flowId@namespace", with the namespace they arrived in (names are reused). */
    private final Map<String, Parked> parked = new HashMap<>();
    /** The SYN arrival being processed by the current simulation event, or null. */
    private Arrival current;

    private long clientSyns;
    private long txDelivered;
    private long arrivals;
    private long deliveredToTcp;
    private long lostOnLink;
    private final Map<String, Long> dropped = new TreeMap<>();

    private final Set<Long> recordedFlows = new HashSet<>();
    private long duplicateRecords;
    private int peakConntrack;
    private int ipvsEntries;

    private static final class Arrival {
        final long flowId;
        final NetNamespace ns;
        final Packet packet;
        boolean done;

        Arrival(long flowId, NetNamespace ns, Packet packet) {
            this.flowId = flowId;
            this.ns = ns;
            this.packet = packet;
        }
    }

    private static final class Parked {
        int count;
        NetNamespace ns;
        /** The neighbour entry whose queue holds the latest parked copy, or null if there is none. */
        Neighbour neighbour;
    }

    /** What a checked run counted. */
    record Report(RunResult result, long clientSyns, long deliveredToTcp, Map<String, Long> dropped,
                  long lostOnLink, long inFlight, long onLink, long parked, long recordedConnections,
                  int peakConntrack, long packetsAllocated, int ipvsEntries) {

        /** SYNs that reached a socket, were dropped with a reason or lost on a link, or are in flight. */
        long accountedSyns() {
            return deliveredToTcp + dropped.values().stream().mapToLong(Long::longValue).sum() + lostOnLink
                    + inFlight;
        }
    }

    /** Runs the scenario with the checker attached; throws AssertionError naming every violated invariant. */
    static Report check(Scenario scenario) {
        RunInvariants inv = new RunInvariants();
        RunResult r = new Runner(scenario, inv, inv::attach).run(0, () -> 0);
        return inv.finish(r);
    }

    private void attach(World w) {
        world = w;
        for (Client c : w.scenario().clients()) {
            for (int i = 0; i < c.replicas(); i++) {
                Pod p = w.pod(c.name() + "-" + i);
                if (p != null) {
                    clientNs.add(p.ns().name());
                }
            }
        }
        w.sim().setListener(this);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    // ------------------------------------------------------------------ simulation events

    @Override
    public void onEvent(long time, int priority, long seq, Action action) {
        closeArrival();
        for (NetNamespace n : world.nodes()) {
            ConntrackTable ct = n.attachment(ConntrackTable.class);
            if (ct != null) {
                int count = ct.count();
                peakConntrack = Math.max(peakConntrack, count);
                int max = n.sysctls().get(Sysctl.NET_NF_CONNTRACK_MAX);
                if (count > max) {
                    violation("conntrack count " + count + " > nf_conntrack_max " + max + " in " + n.name()
                            + " at " + time + " ns");
                }
            }
        }
        if (action instanceof Packet) {
            Packet p = (Packet) action;
            if (p.inDev != null && p.proto == IpProto.TCP && p.tcpFlags == TcpFlags.SYN) {
                NetNamespace ns = p.inDev.namespace();
                wrap(ns);
                arrivals++;
                current = new Arrival(p.flowId, ns, p);
            }
        }
    }

    /** The previous event's SYN arrival had no outcome within its event: it is parked. */
    private void closeArrival() {
        if (current != null && !current.done) {
            Parked k = parked.computeIfAbsent(current.flowId + "@" + current.ns.name(), x -> new Parked());
            k.count++;
            k.ns = current.ns;
            k.neighbour = neighbourOf(current.packet);
        }
        current = null;
    }

    /** The neighbour entry a packet waits in: its output device's entry for the route's next hop. */
    private static Neighbour neighbourOf(Packet p) {
        if (p.outDev == null) {
            return null;
        }
        Route r = p.outDev.namespace().routes().lookup(p.dst);
        return r == null ? null : p.outDev.neighbour(r.nextHop(p.dst));
    }

    private void wrap(NetNamespace ns) {
        if (!wrapped.add(ns)) {
            return;
        }
        L4Handler tcp = ns.transport(IpProto.TCP);
        if (tcp == null) {
            return;
        }
        ns.setTransport(IpProto.TCP, new L4Handler() {
            @Override
            public void receive(Packet p, NetNamespace where) {
                if (p.proto == IpProto.TCP && p.tcpFlags == TcpFlags.SYN && !clientNs.contains(where.name())) {
                    if (!outcomeOfCurrent(p.flowId, where.name())) {
                        leaveParked(p.flowId, where.name(), "delivered to TCP");
                    }
                    deliveredToTcp++;
                    close(p.flowId);
                }
                tcp.receive(p, where);
            }

            @Override
            public void icmpError(Packet icmp, NetNamespace where) {
                tcp.icmpError(icmp, where);
            }
        });
    }

    // ------------------------------------------------------------------ trace events

    @Override
    public void emit(TraceEvent e) {
        if (e instanceof LinkTransmitted) {
            LinkTransmitted lt = (LinkTransmitted) e;
            if (!lt.packet().contains(SYN_ONLY)) {
                return;
            }
            if (clientNs.contains(lt.where())) {
                clientSyns++;
                if (lt.delivered()) {
                    txDelivered++;
                    open.merge(lt.flowId(), 1, Integer::sum);
                } else {
                    lostOnLink++;
                }
                return;
            }
            if (!outcomeOfCurrent(lt.flowId(), lt.where())) {
                leaveParked(lt.flowId(), lt.where(), "transmitted");
            }
            if (lt.delivered()) {
                txDelivered++;
            } else {
                lostOnLink++;
                close(lt.flowId());
            }
        } else if (e instanceof PacketDropped) {
            PacketDropped d = (PacketDropped) e;
            if (!d.packet().contains(SYN_ONLY) || clientNs.contains(d.where())) {
                return; // not a SYN, or one that never left its client
            }
            if (!outcomeOfCurrent(d.flowId(), d.where())) {
                leaveParked(d.flowId(), d.where(), "dropped");
            }
            dropped.merge(d.reason().name(), 1L, Long::sum);
            close(d.flowId());
        } else if (e instanceof ConnectionRecord) {
            ConnectionRecord rec = (ConnectionRecord) e;
            if (clientNs.contains(rec.where()) && !recordedFlows.add(rec.flowId())) {
                duplicateRecords++;
                violation("flow " + rec.flowId() + " reported twice: " + rec.format());
            }
        }
    }

    /** Marks the current arrival as handled if it is this flow's in this namespace. */
    private boolean outcomeOfCurrent(long flowId, String ns) {
        if (current != null && !current.done && current.flowId == flowId && current.ns.name().equals(ns)) {
            current.done = true;
            return true;
        }
        return false;
    }

    private void leaveParked(long flowId, String ns, String how) {
        String key = flowId + "@" + ns;
        Parked k = parked.get(key);
        if (k == null) {
            violation("SYN of flow " + flowId + " " + how + " in " + ns + " without having arrived there");
        } else if (--k.count == 0) {
            parked.remove(key);
        }
    }

    private void close(long flowId) {
        Integer n = open.get(flowId);
        if (n == null) {
            violation("SYN of flow " + flowId + " accounted for twice");
        } else if (n == 1) {
            open.remove(flowId);
        } else {
            open.put(flowId, n - 1);
        }
    }

    private void violation(String what) {
        if (violations.size() < 20) {
            violations.add(what);
        }
    }

    // ------------------------------------------------------------------ after the run

    private Report finish(RunResult r) {
        closeArrival();
        world.sim().setListener(null);
        long inFlight = open.values().stream().mapToLong(Integer::longValue).sum();
        long onLink = txDelivered - arrivals;
        long parkedTotal = parked.values().stream().mapToLong(k -> k.count).sum();
        if (onLink < 0 || onLink > world.sim().pending()) {
            violation(onLink + " SYNs on a link but " + world.sim().pending() + " events pending");
        }
        if (inFlight != onLink + parkedTotal) {
            violation(inFlight + " SYNs open but " + onLink + " on a link and " + parkedTotal + " parked");
        }
        Map<Neighbour, Integer> waiting = new IdentityHashMap<>();
        parked.forEach((key, k) -> {
            if (k.ns.destroyed()) {
                violation("SYN " + key + " vanished in a namespace that is gone (no drop reason)");
            } else if (k.neighbour == null) {
                violation("SYN " + key + " vanished: it waits for no neighbour entry");
            } else {
                waiting.merge(k.neighbour, k.count, Integer::sum);
            }
        });
        waiting.forEach((n, count) -> {
            if (n.queued() < count) {
                violation(count + " SYNs wait for " + n + " but its queue holds " + n.queued() + " packets");
            }
        });
        long dropSum = dropped.values().stream().mapToLong(Long::longValue).sum();
        if (clientSyns != deliveredToTcp + dropSum + lostOnLink + inFlight) {
            violation(clientSyns + " client SYNs but " + deliveredToTcp + " delivered + " + dropSum + " dropped + "
                    + lostOnLink + " lost + " + inFlight + " in flight");
        }
        checkTables(inFlight);
        checkReports(r);
        if (!violations.isEmpty()) {
            throw new AssertionError(r.scenario() + ": invariants violated:\n  " + String.join("\n  ", violations));
        }
        return new Report(r, clientSyns, deliveredToTcp, Map.copyOf(dropped), lostOnLink, inFlight, onLink,
                parkedTotal, recordedFlows.size(), peakConntrack, world.network().pool().allocated(), ipvsEntries);
    }

    private void checkTables(long inFlight) {
        for (NetNamespace n : world.nodes()) {
            ConntrackTable ct = n.attachment(ConntrackTable.class);
            if (ct != null && ct.count() != ct.entries().size()) {
                violation("conntrack count " + ct.count() + " but " + ct.entries().size() + " entries in " + n.name());
            }
            Ipvs ipvs = Ipvs.of(n);
            if (ipvs == null) {
                continue;
            }
            Map<IpvsDest, int[]> bound = new IdentityHashMap<>();
            ipvsEntries += ipvs.connections().size();
            for (IpvsConn c : ipvs.connections()) {
                if (c.dest() == null || (c.flags() & IpvsConn.F_TEMPLATE) != 0) {
                    continue;
                }
                int[] k = bound.computeIfAbsent(c.dest(), d -> new int[2]);
                k[(c.flags() & IpvsConn.F_INACTIVE) == 0 ? 0 : 1]++;
            }
            List<IpvsDest> dests = new ArrayList<>(ipvs.trash());
            for (IpvsService s : ipvs.services()) {
                dests.addAll(s.dests());
            }
            for (IpvsDest d : dests) {
                int[] k = bound.getOrDefault(d, new int[2]);
                if (d.activeConns() < 0 || d.inactConns() < 0 || d.activeConns() != k[0] || d.inactConns() != k[1]) {
                    violation("IPVS " + d + ": ActiveConn " + d.activeConns() + " InActConn " + d.inactConns()
                            + " but " + k[0] + " active and " + k[1] + " inactive entries bound to it");
                }
                bound.remove(d);
            }
            if (!bound.isEmpty()) {
                violation("IPVS entries bound to real servers that are neither in a service nor in the trash: "
                        + bound.keySet());
            }
        }
        long allocated = world.network().pool().allocated();
        long free = world.network().pool().available();
        if (free > allocated || allocated - free < inFlight) {
            violation("packet pool: " + allocated + " allocated, " + free + " free, " + inFlight + " SYNs in flight");
        }
        if (allocated > 10L * peakConntrack + 64) {
            violation("packet pool grew to " + allocated + " packets for a peak of " + peakConntrack + " conntrack entries");
        }
    }

    private void checkReports(RunResult r) {
        if (r.connections().attempted() != recordedFlows.size()) {
            violation(r.connections().attempted() + " connections attempted but " + recordedFlows.size()
                    + " flows reported");
        }
        Scenario s = world.scenario();
        Map<Integer, Integer> perIndex = new HashMap<>();
        int reached = -1;
        for (StepResult st : r.steps()) {
            perIndex.merge(st.index(), 1, Integer::sum);
            reached = Math.max(reached, st.index());
        }
        // steps after a connect still running at the end never ran
        for (int i = 0; i <= reached; i++) {
            Integer n = perIndex.get(i);
            if (s.steps().get(i) instanceof Step.Connect && (n == null || n != 1)) {
                violation("connect step " + i + " has " + (n == null ? 0 : n) + " results");
            }
        }
        perIndex.forEach((i, n) -> {
            if (n > 1) {
                violation("step " + i + " reported " + n + " times");
            }
        });
    }
}
