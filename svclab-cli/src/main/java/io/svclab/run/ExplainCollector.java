package io.svclab.run;

import io.svclab.net.Ip4;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.tcp.TcpDecision;
import io.svclab.net.tcp.TcpStack;
import io.svclab.net.trace.Decided;
import io.svclab.net.trace.LinkTransmitted;
import io.svclab.net.trace.PacketDropped;
import io.svclab.net.trace.PodChanged;
import io.svclab.net.trace.Trace;
import io.svclab.net.trace.TraceEvent;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The trace sink behind {@code --explain N} (contract §4.3): it keeps the decisions of each live
 * client connection as they are emitted, drops them when the connection ends OK without a SYN
 * retransmission, and keeps the chains of the first N failed or delayed connections by start time
 * (then flow id), so the result is the same whatever order the connections ended in.
 *
 * <p>A connection's chain starts with its first SYN ({@code syn sent}, emitted by the client's TCP)
 * and holds every event that carries its flow id: the client's SYN retransmissions, conntrack and
 * NAT decisions, IPVS decisions, drops and ICMP errors, up to {@link #RING} of them (the oldest are
 * counted and dropped beyond that). Decisions no packet caused (pod lifecycle steps, real server
 * weight changes and deletions) are kept apart, by address, and joined to a chain when the
 * connection's decisions name that backend. It asks for no per-hook packet lines
 * ({@link #packets()} is false) unless it forwards to a {@code --trace} printer.
 */
public final class ExplainCollector implements Trace {

    /** Decisions kept per connection; older ones are counted, not kept. */
    static final int RING = 64;
    /** Backend-side events (pods, real servers) kept for the whole run. */
    static final int MAX_BACKEND_EVENTS = 100_000;
    /** Backend events joined to one chain: the latest ones before the connection ended. */
    static final int BACKEND_EVENTS_PER_CHAIN = 8;

    private final int limit;
    private final Trace tee;
    private final Long2ObjectOpenHashMap<Ring> live = new Long2ObjectOpenHashMap<>();
    private final List<TraceEvent> backendEvents = new ArrayList<>();
    private final TreeSet<Kept> kept = new TreeSet<>(Comparator.comparingLong((Kept k) -> k.rec.startNs())
            .thenComparingLong(k -> k.rec.flowId()));
    private LongFunction<String> backendOf = f -> null;

    /**
     * A collector of the first {@code limit} failed or delayed connections.
     *
     * @param limit how many to explain (at least 1)
     * @param tee another sink that sees every event too ({@code --trace}), or {@link Trace#NONE}
     */
    public ExplainCollector(int limit, Trace tee) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
        this.tee = tee;
    }

    /** Where accepted connections went (flow id → {@code ip:port}), read when a connection ends. */
    void backendsFrom(LongFunction<String> backendOf) {
        this.backendOf = backendOf;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean packets() {
        return tee.enabled() && tee.packets();
    }

    @Override
    public boolean wants(long flowId) {
        return flowId == 0 || tee.enabled() || live.containsKey(flowId);
    }

    @Override
    public void emit(TraceEvent e) {
        if (tee.enabled()) {
            tee.emit(e);
        }
        long flow = e.flowId();
        if (e instanceof ConnectionRecord) {
            ended((ConnectionRecord) e);
            return;
        }
        if (flow == 0) {
            if (backendEvents.size() < MAX_BACKEND_EVENTS && relevant(e)) {
                backendEvents.add(e);
            }
            return;
        }
        if (e instanceof io.svclab.net.trace.HookTraced || (e instanceof LinkTransmitted
                && ((LinkTransmitted) e).delivered())) {
            return; // the packet path (--trace) is not a decision; a frame nobody received is
        }
        Ring r = live.get(flow);
        if (r == null) {
            if (!(e instanceof TcpDecision) || !TcpStack.SYN_SENT.equals(((TcpDecision) e).decision())) {
                return; // a connection already ended (or not a client's): nothing to explain
            }
            r = new Ring();
            live.put(flow, r);
        }
        r.add(e);
    }

    /**
     * Backend steps that can explain a failure: a pod's deletion, signals, exit and teardown, and
     * real servers losing weight or deleted (not their creation, readiness or weight coming back).
     */
    private static boolean relevant(TraceEvent e) {
        if (e instanceof PodChanged) {
            String ev = ((PodChanged) e).event();
            return !ev.equals("CREATED") && !ev.equals("LISTENING") && !ev.equals("READY");
        }
        if (e instanceof Decided) {
            Decided d = (Decided) e;
            return d.kind() == Decided.Kind.IPVS_DEST_DELETED || ((d.kind() == Decided.Kind.IPVS_DEST_WEIGHT
                    || d.kind() == Decided.Kind.PROXY_ENDPOINT) && d.weight() == 0);
        }
        return false;
    }

    private void ended(ConnectionRecord rec) {
        Ring r = live.remove(rec.flowId());
        if (rec.result() == ConnectResult.OK && rec.synRetransmissions() == 0) {
            return;
        }
        Kept k = new Kept(rec, r == null ? List.of() : r.list(), r == null ? 0 : r.lost, backendOf.apply(rec.flowId()));
        if (kept.size() < limit) {
            kept.add(k);
        } else if (kept.comparator().compare(k, kept.last()) < 0) {
            kept.pollLast();
            kept.add(k);
        }
    }

    /** Connections whose decisions are being kept (tests). */
    int liveConnections() {
        return live.size();
    }

    /**
     * The explanations, first started first.
     *
     * @param addressOf the address of a client namespace by name, or null when unknown
     */
    public List<Explanation> explanations(java.util.function.Function<String, Integer> addressOf) {
        List<Explanation> out = new ArrayList<>();
        for (Kept k : kept) {
            out.add(explain(k, addressOf));
        }
        return out;
    }

    private Explanation explain(Kept k, java.util.function.Function<String, Integer> addressOf) {
        ConnectionRecord rec = k.rec;
        Integer caddr = addressOf.apply(rec.where());
        String client = (caddr == null ? rec.where() : Ip4.format(caddr)) + ":" + rec.localPort();
        String service = Ip4.endpoint(rec.remoteAddr(), rec.remotePort());

        // the backends the connection's decisions name: the entry it hit first, else where it was sent
        Set<Integer> involved = new LinkedHashSet<>();
        for (TraceEvent e : k.events) {
            if (e instanceof Decided) {
                Decided d = (Decided) e;
                if (d.addr() != 0 && (d.kind() == Decided.Kind.IPVS_HIT || d.kind() == Decided.Kind.CT_NAT)) {
                    involved.add(d.addr());
                }
            }
        }
        if (involved.isEmpty()) {
            for (TraceEvent e : k.events) {
                if (e instanceof Decided && ((Decided) e).addr() != 0) {
                    involved.add(((Decided) e).addr());
                }
            }
        }
        List<TraceEvent> backend = new ArrayList<>();
        for (int i = backendEvents.size() - 1; i >= 0 && backend.size() < BACKEND_EVENTS_PER_CHAIN; i--) {
            TraceEvent e = backendEvents.get(i);
            if (e.time() <= rec.endNs() && involved.contains(addressOf(e))) {
                backend.add(0, e);
            }
        }

        List<TraceEvent> all = new ArrayList<>(backend.size() + k.events.size());
        all.addAll(backend);
        all.addAll(k.events);
        all.sort(Comparator.comparingLong(TraceEvent::time)); // stable: backend steps first at one instant
        List<Explanation.Decision> chain = new ArrayList<>(all.size() + 2);
        if (k.lost > 0) {
            chain.add(new Explanation.Decision(rec.startNs() / 1e9, rec.where(), k.lost
                    + " earlier decisions of this connection not kept (ring of " + RING + ")", null));
        }
        for (TraceEvent e : all) {
            chain.add(decision(e));
        }
        chain.add(new Explanation.Decision(rec.endNs() / 1e9, rec.where(), outcome(rec), null));
        return new Explanation(client, service, "TCP", rec.result().name(), k.backend, rec.startNs() / 1e9,
                rec.endNs() / 1e9, rec.synRetransmissions(), List.copyOf(chain), summary(k, client, backend));
    }

    private static int addressOf(TraceEvent e) {
        if (e instanceof PodChanged) {
            return ((PodChanged) e).ip();
        }
        return e instanceof Decided ? ((Decided) e).addr() : 0;
    }

    private static Explanation.Decision decision(TraceEvent e) {
        double s = e.time() / 1e9;
        if (e instanceof Decided) {
            Decided d = (Decided) e;
            String entry = d.entryText();
            return new Explanation.Decision(s, d.where(), d.layer() + ": " + d.text(), entry == null ? null
                    : entry.strip());
        }
        if (e instanceof PodChanged) {
            PodChanged p = (PodChanged) e;
            return new Explanation.Decision(s, p.where(), p.what(), "pod/" + p.pod() + " " + p.event());
        }
        if (e instanceof TcpDecision) {
            String d = ((TcpDecision) e).decision();
            return new Explanation.Decision(s, e.where(), "tcp: " + (TcpStack.SYN_SENT.equals(d) ? "SYN sent" : d), null);
        }
        if (e instanceof PacketDropped) {
            PacketDropped d = (PacketDropped) e;
            return new Explanation.Decision(s, d.where(), "packet dropped ("
                    + d.reason().name().toLowerCase(Locale.ROOT) + ")", d.packet());
        }
        if (e instanceof LinkTransmitted) {
            LinkTransmitted l = (LinkTransmitted) e;
            return new Explanation.Decision(s, l.where(), "frame sent on " + l.device() + (l.delivered() ? ""
                    : " to a MAC address no host has any more: lost"), l.packet());
        }
        return new Explanation.Decision(s, e.where(), e.format(), null);
    }

    private static String outcome(ConnectionRecord rec) {
        if (rec.result() == ConnectResult.OK) {
            return String.format(Locale.ROOT, "connected after %d SYN retransmission%s (connect %.1f ms)",
                    rec.synRetransmissions(), rec.synRetransmissions() == 1 ? "" : "s", rec.connectNs() / 1e6);
        }
        if (rec.result() == ConnectResult.APP_TIMEOUT) {
            return String.format(Locale.ROOT, "APP_TIMEOUT: the client's own timeout fired after %.3f s,"
                    + " %d SYN retransmission%s", rec.durationNs() / 1e9, rec.synRetransmissions(),
                    rec.synRetransmissions() == 1 ? "" : "s");
        }
        return rec.result().name() + " after " + rec.synRetransmissions() + " SYN retransmission"
                + (rec.synRetransmissions() == 1 ? "" : "s");
    }

    /** One paragraph in an operator's terms, built from the recorded decisions only. */
    private static String summary(Kept k, String client, List<TraceEvent> backend) {
        ConnectionRecord rec = k.rec;
        StringBuilder b = new StringBuilder();
        Decided hit = first(k.events, Decided.Kind.IPVS_HIT);
        Decided nat = first(k.events, Decided.Kind.CT_NAT);
        Decided reopen = first(k.events, Decided.Kind.CT_REOPEN);
        Decided reuse = first(k.events, Decided.Kind.IPVS_REUSE);
        Decided reuseDrop = first(k.events, Decided.Kind.IPVS_REUSE_DROP);
        Decided nodest = first(k.events, Decided.Kind.IPVS_NODEST_DROP);
        Decided resched = first(k.events, Decided.Kind.IPVS_RESCHEDULE);
        int target = hit != null ? hit.addr() : nat != null ? nat.addr() : 0;
        String pods = podStory(backend, target);
        if (hit != null) {
            b.append("the SYN from ").append(client).append(" hit an IPVS connection entry in ")
                    .append(stateOf(hit)).append(" for real server ").append(hit.backend()).append(" (weight ")
                    .append(hit.weight()).append(hit.text().contains("deleted from the service")
                            ? ", deleted from the service" : "").append(pods.isEmpty() ? "" : ", " + pods).append(')');
            if (reuse != null) {
                b.append("; ").append(reuse.entryText().replace(" = ", "=")).append(" so IPVS did not reschedule it");
            }
            if (nodest != null) {
                b.append("; the real server is no longer in the service, so IPVS dropped the SYN (")
                        .append(nodest.entryText().replace(" = ", "=")).append(')');
            } else if (reuseDrop != null) {
                b.append("; IPVS expired the entry to reschedule but dropped the SYN because its conntrack entry"
                        + " still existed (net.ipv4.vs.conntrack=1 on this kernel)");
                Decided sched = after(k.events, Decided.Kind.IPVS_SCHEDULE, reuseDrop.time());
                if (sched != null) {
                    b.append(String.format(Locale.ROOT, "; the retransmission at %.3f s was scheduled to %s",
                            sched.time() / 1e9, sched.backend()));
                }
            } else if (resched != null) {
                b.append("; IPVS rescheduled it");
            }
        } else if (reopen != null || nat != null) {
            b.append("the SYN from ").append(client);
            if (reopen != null) {
                b.append(" reopened a conntrack entry in TIME_WAIT (fresh NAT)");
            }
            if (nat != null) {
                b.append(reopen != null ? " and was " : " was ").append(nat.text().startsWith("DNAT")
                        ? "DNATed to " + nat.backend() : nat.text()).append(pods.isEmpty() ? "" : " (" + pods + ")");
            }
        } else {
            b.append("the SYN from ").append(client).append(" to ")
                    .append(Ip4.endpoint(rec.remoteAddr(), rec.remotePort()));
            if (!pods.isEmpty()) {
                b.append(" (").append(pods).append(')');
            }
        }
        PacketDropped drop = stackDrop(k.events);
        if (target != 0 && lostFrames(k.events)) {
            b.append("; the node forwarded the SYNs to ").append(Ip4.format(target))
                    .append(", an address no pod answers on any more, where they were lost");
        } else if (target != 0 && drop != null) {
            b.append("; the SYNs forwarded to ").append(Ip4.format(target)).append(" were dropped by ")
                    .append(drop.where()).append(" (").append(drop.reason().name().toLowerCase(Locale.ROOT))
                    .append(": nothing answers ARP for that address any more)");
        }
        int syns = rec.synRetransmissions() + 1;
        if (rec.connectNs() < 0) {
            b.setLength(0);
            b.append("connect() to ").append(Ip4.endpoint(rec.remoteAddr(), rec.remotePort()))
                    .append(" failed before any SYN was sent: ").append(rec.result().name())
                    .append(String.format(Locale.ROOT, " at %.3f s", rec.endNs() / 1e9));
        } else if (rec.result() == ConnectResult.OK) {
            b.append(String.format(Locale.ROOT, "; %d SYN%s went unanswered and the connection was established"
                    + " %.1f ms after the first SYN, at %.3f s", syns - 1, syns - 1 == 1 ? "" : "s",
                    rec.connectNs() / 1e6, (rec.startNs() + rec.connectNs()) / 1e9));
        } else if (rec.result() == ConnectResult.APP_TIMEOUT) {
            b.append(String.format(Locale.ROOT, "; %d SYN%s went unanswered; the client gave up"
                    + " (its own timeout, APP_TIMEOUT) at %.3f s", syns, syns == 1 ? "" : "s", rec.endNs() / 1e9));
        } else if (rec.result() == ConnectResult.ETIMEDOUT) {
            b.append(String.format(Locale.ROOT, "; %d SYNs went unanswered; ETIMEDOUT at %.3f s", syns,
                    rec.endNs() / 1e9));
        } else {
            b.append(String.format(Locale.ROOT, "; %s at %.3f s after %d SYN%s", rec.result().name(),
                    rec.endNs() / 1e9, syns, syns == 1 ? "" : "s"));
        }
        return b.toString();
    }

    /** {@code pod backend-abc deleted at 61.2 s, torn down at 97.0 s}, from the kept pod steps. */
    private static String podStory(List<TraceEvent> backend, int addr) {
        String pod = null;
        List<String> parts = new ArrayList<>();
        String rules = null;
        for (TraceEvent e : backend) {
            if (e instanceof Decided && ((Decided) e).kind() == Decided.Kind.PROXY_ENDPOINT && ((Decided) e).addr() == addr) {
                rules = String.format(Locale.ROOT, "out of kube-proxy's rules at %.3f s", e.time() / 1e9);
            }
            if (e instanceof PodChanged && ((PodChanged) e).ip() == addr) {
                PodChanged p = (PodChanged) e;
                pod = p.pod();
                String at = String.format(Locale.ROOT, " at %.3f s", p.time() / 1e9);
                switch (p.event()) {
                    case "DELETED":
                        parts.add("deleted" + at);
                        break;
                    case "SIGKILL":
                        parts.add("killed" + at);
                        break;
                    case "EXITED":
                        parts.add("exited" + at);
                        break;
                    case "DESTROYED":
                        parts.add("torn down" + at);
                        break;
                    default:
                        break;
                }
            }
        }
        String story = pod == null || parts.isEmpty() ? "" : "pod " + pod + " " + String.join(", ", parts);
        if (rules != null) {
            story = story.isEmpty() ? "endpoint " + rules : story + ", endpoint " + rules;
        }
        return story;
    }

    /** The first drop by the stack itself (not a hook's verdict, which the hook's decision explains). */
    private static PacketDropped stackDrop(List<TraceEvent> events) {
        for (TraceEvent e : events) {
            if (e instanceof PacketDropped) {
                io.svclab.net.trace.DropReason r = ((PacketDropped) e).reason();
                if (r == io.svclab.net.trace.DropReason.NEIGH_FAILED || r == io.svclab.net.trace.DropReason.NEIGH_QUEUE_FULL) {
                    return (PacketDropped) e;
                }
            }
        }
        return null;
    }

    private static boolean lostFrames(List<TraceEvent> events) {
        for (TraceEvent e : events) {
            if (e instanceof LinkTransmitted && !((LinkTransmitted) e).delivered()) {
                return true;
            }
        }
        return false;
    }

    private static String stateOf(Decided hit) {
        String w = hit.text();
        int i = w.indexOf(" in ");
        int j = i < 0 ? -1 : w.indexOf(' ', i + 4);
        return i < 0 || j < 0 ? "?" : w.substring(i + 4, j);
    }

    private static Decided first(List<TraceEvent> events, Decided.Kind kind) {
        for (TraceEvent e : events) {
            if (e instanceof Decided && ((Decided) e).kind() == kind) {
                return (Decided) e;
            }
        }
        return null;
    }

    private static Decided after(List<TraceEvent> events, Decided.Kind kind, long t) {
        for (TraceEvent e : events) {
            if (e instanceof Decided && ((Decided) e).kind() == kind && e.time() > t) {
                return (Decided) e;
            }
        }
        return null;
    }

    /** A connection kept for explaining. */
    private record Kept(ConnectionRecord rec, List<TraceEvent> events, long lost, String backend) {
    }

    /** The latest {@link #RING} events of one connection. */
    private static final class Ring {
        private TraceEvent[] buf = new TraceEvent[8];
        private int head;
        private int size;
        private long lost;

        void add(TraceEvent e) {
            if (size < buf.length) {
                buf[(head + size++) % buf.length] = e;
                return;
            }
            if (buf.length < RING) {
                TraceEvent[] n = new TraceEvent[Math.min(RING, buf.length * 2)];
                for (int i = 0; i < size; i++) {
                    n[i] = buf[(head + i) % buf.length];
                }
                buf = n;
                head = 0;
                buf[size++] = e;
                return;
            }
            buf[head] = e;
            head = (head + 1) % buf.length;
            lost++;
        }

        List<TraceEvent> list() {
            List<TraceEvent> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(buf[(head + i) % buf.length]);
            }
            return out;
        }
    }
}
