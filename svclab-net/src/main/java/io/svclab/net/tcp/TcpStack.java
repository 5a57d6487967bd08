package io.svclab.net.tcp;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.FlowIds;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.L4Handler;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Simulation;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The TCP endpoints of one network namespace: listeners with an accept queue, client connections
 * with one request/response exchange, the handshake, close, reset, TIME_WAIT and the kernel's
 * port choice and retransmission timers. See the package documentation for what is modelled.
 *
 * <p>Sockets are found as the kernel finds them ({@code __inet_lookup}): the established hash
 * (request, full and timewait sockets, keyed by the packed (local port, remote address, remote
 * port), chained by local address), then the listener of the port.
 */
public final class TcpStack implements L4Handler {

    /** Advertised window (no window scaling modelled): 64240, Linux's initial rcv window for MSS 1460. */
    static final int WINDOW = 64240;
    private static final int ACK = TcpFlags.ACK;
    private static final int SYN = TcpFlags.SYN;
    private static final int FIN = TcpFlags.FIN;
    private static final int RST = TcpFlags.RST;
    private static final int PSH = TcpFlags.PSH;
    private static final long MS = RetransmitSchedule.MS;
    private static final long SECOND = RetransmitSchedule.SECOND;

    /** A listening socket: its application and its accept queue. */
    static final class Listener {
        final int port;
        final ServerSpec spec;
        final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
        final List<TcpSocket> requests = new ArrayList<>();
        boolean accepting = true;

        Listener(int port, ServerSpec spec) {
            this.port = port;
            this.spec = spec;
        }
    }

    private final NetNamespace ns;
    private final Simulation sim;
    private final KernelProfile profile;
    private final Sysctls sysctls;
    private final FlowIds flowIds;
    private final SplittableRandom isnRng;
    private final long tsSecret;
    private final Long2ObjectOpenHashMap<TcpSocket> ehash = new Long2ObjectOpenHashMap<>();
    private final Int2ObjectOpenHashMap<Listener> listeners = new Int2ObjectOpenHashMap<>();
    /** Sockets holding each local port (the bind bucket's owners, timewait included). */
    private final Int2IntOpenHashMap portOwners = new Int2IntOpenHashMap();
    /** Owners that came through bind() (listeners, explicitly bound clients): fastreuse >= 0. */
    private final Int2IntOpenHashMap bindOwners = new Int2IntOpenHashMap();
    private final PortSelector ports;
    private final PortSelector.Candidate autoCandidate = this::tryAutoPort;
    private int cLaddr;
    private int cRaddr;
    private int cRport;
    private TcpSocket cTakeover;
    /** The keep-alive handle the next socket {@code connect()} creates will carry, or null. */
    private KeepAliveHandle pendingKeepAlive;
    private long listenOverflows;
    private long challengeAcks;

    private TcpStack(NetNamespace ns) {
        this.ns = ns;
        this.sim = ns.sim();
        this.sysctls = ns.sysctls();
        this.profile = sysctls.profile();
        this.flowIds = FlowIds.of(ns.network());
        this.isnRng = sim.rng("tcp/" + ns.name() + "/isn");
        this.tsSecret = sim.rng("tcp/" + ns.name() + "/ts-secret").nextLong();
        this.ports = new PortSelector(ns);
    }

    /** Creates the namespace's TCP, installs it as the TCP transport and attaches it to the namespace. */
    public static TcpStack install(NetNamespace ns) {
        TcpStack s = new TcpStack(ns);
        ns.setTransport(IpProto.TCP, s);
        ns.attach(TcpStack.class, s);
        return s;
    }

    /** The stack installed in a namespace, or null. */
    public static TcpStack of(NetNamespace ns) {
        return ns.attachment(TcpStack.class);
    }

    public NetNamespace namespace() {
        return ns;
    }

    Simulation sim() {
        return sim;
    }

    // ================================================================== application API

    /**
     * Listens on a port of every local address ({@code bind(INADDR_ANY:port)} + {@code listen}).
     *
     * @throws IllegalStateException when the port is in use ({@code EADDRINUSE})
     */
    public void listen(int port, ServerSpec spec) {
        if (listeners.containsKey(port) || portOwners.get(port) > 0) {
            throw new IllegalStateException(ns.name() + ": port " + port + " in use (EADDRINUSE)");
        }
        listeners.put(port, new Listener(port, spec));
        portOwners.addTo(port, 1);
        bindOwners.addTo(port, 1);
    }

    /**
     * Closes the listening socket ({@code inet_csk_listen_stop}): connections still in the accept
     * queue are reset (RST), pending requests vanish silently; accepted connections live on.
     */
    public void closeListener(int port) {
        Listener l = listeners.remove(port);
        if (l == null) {
            return;
        }
        release(portOwners, port);
        release(bindOwners, port);
        for (TcpSocket r : new ArrayList<>(l.requests)) {
            destroy(r); // destroy() also unlinks the request from the list
        }
        l.requests.clear();
        while (!l.acceptQueue.isEmpty()) {
            TcpSocket c = l.acceptQueue.poll();
            sendSegment(c, RST | ACK, c.sndNxt, c.rcvNxt, 0);
            destroy(c);
        }
    }

    /**
     * The server application listening on {@code port} exits ({@code do_exit} closing its files):
     * the listener closes (queued connections are reset, later SYNs get RST), and every connection
     * the application accepted on that port is closed as {@code close()} does — with FIN, or with
     * RST when a request is still unanswered (unread or unprocessed data is discarded, as
     * {@code tcp_close} does when the receive queue is not empty). Orphaned sockets then finish
     * their close in the kernel (FIN_WAIT, TIME_WAIT).
     */
    public void processExit(int port) {
        closeListener(port);
        List<TcpSocket> mine = new ArrayList<>();
        for (TcpSocket s : ehash.values()) {
            if (!s.client && !s.orphan && s.lport == port) {
                mine.add(s);
            }
        }
        mine.sort((a, b) -> Long.compare(a.flowId, b.flowId));
        for (TcpSocket s : mine) {
            appClose(s, s.requestWaiting ? CloseKind.RST : CloseKind.FIN);
        }
    }

    /**
     * Whether the listening application calls {@code accept()} (default true). While it does not,
     * established connections wait in the accept queue, and a full queue drops new SYNs.
     */
    public void setAccepting(int port, boolean accepting) {
        Listener l = listeners.get(port);
        if (l != null) {
            l.accepting = accepting;
            acceptReady(l);
        }
    }

    /**
     * Opens a client connection now and runs its exchange; {@code done} receives the record when
     * the application is done with the connection (or failed). Immediate failures (no route, no
     * port) are reported before this method returns.
     */
    public void connect(ConnectSpec spec, Consumer<ConnectionRecord> done) {
        connect(spec, null, done);
    }

    /**
     * Like {@link #connect(ConnectSpec, Consumer)}, and {@code exchanged} (if not null) receives a
     * record with result OK the moment the request/response exchange completes, before the
     * connection is held and closed: the point where a scripted {@code connect} step ends. A
     * connection that fails before that only reaches {@code done}.
     */
    public void connect(ConnectSpec spec, Consumer<ConnectionRecord> exchanged, Consumer<ConnectionRecord> done) {
        long now = sim.now();
        long flow = flowIds.next();
        int laddr = ns.sourceAddressFor(spec.dstAddr());
        if (laddr == 0) {
            emit(new ConnectionRecord(ns.name(), ConnectResult.ENETUNREACH, now, -1, now, 0, spec.srcPort(),
                    spec.dstAddr(), spec.dstPort(), flow), done);
            return;
        }
        cLaddr = laddr;
        cRaddr = spec.dstAddr();
        cRport = spec.dstPort();
        cTakeover = null;
        int port;
        if (spec.srcPort() != 0) {
            port = spec.srcPort();
            ConnectResult fail = null;
            if (listeners.containsKey(port)) {
                fail = ConnectResult.EADDRINUSE; // inet_csk_bind_conflict with a listener
            } else if (!tupleUsable(port, false)) {
                fail = ConnectResult.EADDRNOTAVAIL; // __inet_hash_connect: check_established(..., NULL)
            }
            if (fail != null) {
                emit(new ConnectionRecord(ns.name(), fail, now, -1, now, 0, port, spec.dstAddr(), spec.dstPort(), flow),
                        done);
                return;
            }
        } else {
            port = ports.select(laddr, spec.dstAddr(), spec.dstPort(), autoCandidate);
            if (port < 0) {
                emit(new ConnectionRecord(ns.name(), ConnectResult.EADDRNOTAVAIL, now, -1, now, 0, 0, spec.dstAddr(),
                        spec.dstPort(), flow), done);
                return;
            }
        }
        TcpSocket s = new TcpSocket(this, true);
        s.laddr = laddr;
        s.lport = port;
        s.raddr = spec.dstAddr();
        s.rport = spec.dstPort();
        s.flowId = flow;
        s.spec = spec;
        s.done = done;
        s.exchanged = exchanged;
        if (pendingKeepAlive != null) {
            s.ka = pendingKeepAlive;
            s.ka.socket = s;
            pendingKeepAlive = null;
        }
        s.startNs = now;
        s.bound = spec.srcPort() != 0;
        s.tsOn = sysctls.get(Sysctl.NET_IPV4_TCP_TIMESTAMPS) != 0;
        s.tsOff = tsOffset(laddr, s.raddr);
        if (cTakeover != null) {
            // tcp_twsk_unique: continue the old connection's sequence space and timestamps
            TcpSocket tw = cTakeover;
            if (ns.trace().enabled()) {
                decide(flow, "timewait " + Ip4.endpoint(tw.laddr, tw.lport) + " > " + Ip4.endpoint(tw.raddr, tw.rport)
                        + " (" + tw.state + ") taken over");
            }
            int isn = tw.sndNxt + 65535 + 2;
            s.iss = isn == 0 ? 1 : isn;
            s.tsRecent = tw.tsRecent;
            s.tsRecentStampSec = tw.tsRecentStampSec;
            destroy(tw);
            cTakeover = null;
        } else {
            s.iss = isnRng.nextInt();
        }
        s.sndUna = s.iss;
        s.sndNxt = s.iss + 1;
        s.dataEnd = s.sndNxt;
        s.state = TcpState.SYN_SENT;
        hash(s);
        portOwners.addTo(port, 1);
        if (s.bound) {
            bindOwners.addTo(port, 1);
        }
        s.rtoNs = RetransmitSchedule.TIMEOUT_INIT;
        s.synSentNs = now;
        if (spec.appTimeoutNs() > 0) {
            s.appMode = TcpSocket.APP_TIMEOUT;
            s.app.scheduleIn(spec.appTimeoutNs());
        }
        if (ns.trace().enabled()) {
            decide(flow, SYN_SENT);
        }
        sendSyn(s);
        s.scheduleIn(s.rtoNs);
    }

    /**
     * Opens a keep-alive client connection now (kernel-chosen or fixed port as {@code spec} says)
     * whose first request, {@code spec.requestBytes()} answered by {@code spec.responseBytes()},
     * goes out when the handshake completes. After each answered request the connection is idle:
     * the application may send the next one ({@link KeepAliveConnection#request()}); after
     * {@code idleTimeoutNs} (0 = never) idle, or when the peer's FIN arrives while idle, it closes
     * with FIN. The application's timeout ({@code spec.appTimeoutNs()}) covers connect plus the
     * first request, then each later request on its own. {@code spec.holdNs()}, {@code closer} and
     * {@code closeKind} are not used. Immediate failures reach {@code client} before this returns.
     */
    public KeepAliveConnection connectKeepAlive(ConnectSpec spec, long idleTimeoutNs, KeepAliveClient client) {
        if (idleTimeoutNs < 0 || client == null) {
            throw new IllegalArgumentException("idle timeout < 0 or no client");
        }
        KeepAliveHandle h = new KeepAliveHandle(this, client, idleTimeoutNs);
        pendingKeepAlive = h;
        try {
            connect(spec, null, h::onRecord);
        } finally {
            pendingKeepAlive = null;
        }
        return h;
    }

    /**
     * Forgets every socket on a local port at once, sending nothing (the process or pod vanished
     * without FIN or RST). No record is emitted for a client connection that vanishes.
     *
     * @return the number of sockets forgotten
     */
    public int vanish(int localPort) {
        List<TcpSocket> gone = new ArrayList<>();
        for (TcpSocket head : ehash.values()) {
            for (TcpSocket s = head; s != null; s = s.hashNext) {
                if (s.lport == localPort) {
                    gone.add(s);
                }
            }
        }
        for (TcpSocket s : gone) {
            s.recorded = true;
            if (s.listener != null) {
                s.listener.requests.remove(s);
                s.listener.acceptQueue.remove(s);
            }
            destroy(s);
        }
        return gone.size();
    }

    /** The state of the socket (any local address) of that 4-tuple, or null when there is none. */
    public TcpState socketState(int localPort, int remoteAddr, int remotePort) {
        TcpSocket s = ehash.get(key(localPort, remoteAddr, remotePort));
        return s == null ? null : s.state;
    }

    /** Sockets in the established hash (request, full and timewait sockets). */
    public int socketCount() {
        int n = 0;
        for (TcpSocket head : ehash.values()) {
            for (TcpSocket s = head; s != null; s = s.hashNext) {
                n++;
            }
        }
        return n;
    }

    /** Connections waiting in a listener's accept queue. */
    public int acceptQueueLength(int port) {
        Listener l = listeners.get(port);
        return l == null ? 0 : l.acceptQueue.size();
    }

    /** SYNs and handshake ACKs dropped because an accept queue was full ({@code ListenOverflows}). */
    public long listenOverflows() {
        return listenOverflows;
    }

    /** Challenge ACKs sent ({@code TCPChallengeACK}). */
    public long challengeAcks() {
        return challengeAcks;
    }

    // ================================================================== port choice

    private boolean tryAutoPort(int port) {
        if (bindOwners.get(port) > 0) {
            return false; // bucket created by bind(): fastreuse >= 0, skipped by connect()
        }
        if (portOwners.get(port) == 0) {
            return true;
        }
        return tupleUsable(port, true);
    }

    /** {@code __inet_check_established}: the 4-tuple is free, or held by a timewait socket that may be taken over. */
    private boolean tupleUsable(int port, boolean auto) {
        TcpSocket o = lookup(cLaddr, port, cRaddr, cRport);
        if (o == null) {
            return true;
        }
        if (o.state.isTimewait() && twUnique(o, auto)) {
            cTakeover = o;
            return true;
        }
        return false;
    }

    /**
     * {@code tcp_twsk_unique}: a timewait socket with a peer timestamp is taken over by an
     * explicitly bound connect ({@code twp == NULL}) always, by a kernel-chosen port only when
     * {@code tcp_tw_reuse} allows it (2: loopback addresses only) and the seconds clock has
     * passed the last timestamp update ({@code time_after32(ktime_get_seconds(), ts_recent_stamp)}).
     */
    private boolean twUnique(TcpSocket tw, boolean auto) {
        int reuse = sysctls.get(Sysctl.NET_IPV4_TCP_TW_REUSE);
        if (auto && tw.state == TcpState.FIN_WAIT2_ORPHAN && profile.has(KernelFeature.TCP_TW_REUSE_SKIPS_FIN_WAIT2)) {
            reuse = 0;
        }
        if (reuse == 2 && !Ip4.isLoopback(tw.raddr) && !Ip4.isLoopback(tw.laddr)) {
            reuse = 0;
        }
        if (!tw.tsOk) {
            return false; // tw_ts_recent_stamp == 0
        }
        if (!auto) {
            return true;
        }
        return reuse != 0 && sim.now() / SECOND > tw.tsRecentStampSec;
    }

    // ================================================================== receive

    @Override
    public void receive(Packet p, NetNamespace where) {
        TcpSocket s = lookup(p.dst, p.dport, p.src, p.sport);
        if (s != null) {
            if (s.state.isTimewait()) {
                timewait(s, p);
            } else if (s.state == TcpState.SYN_RECV) {
                request(s, p);
            } else if (s.state == TcpState.SYN_SENT) {
                synSent(s, p);
            } else {
                established(s, p);
            }
        } else {
            Listener l = listeners.get(p.dport);
            int f = p.tcpFlags;
            if (l == null) {
                sendReset(p, p.flowId); // tcp_v4_rcv no_tcp_socket
            } else if ((f & ACK) != 0) {
                sendReset(p, p.flowId); // tcp_rcv_state_process LISTEN: an ACK is answered by RST
            } else if ((f & (SYN | RST)) == SYN) {
                connRequest(l, p, -1L);
            }
        }
        ns.pool().release(p);
    }

    /**
     * {@code tcp_v4_err}: in SYN_SENT every destination unreachable (but fragmentation needed)
     * and time exceeded aborts the connect with {@code icmp_err_convert}'s errno; elsewhere ICMP
     * errors are soft and ignored.
     */
    @Override
    public void icmpError(Packet icmp, NetNamespace where) {
        TcpSocket s = lookup(icmp.innerSrc, icmp.innerSport, icmp.innerDst, icmp.innerDport);
        if (s != null && s.state == TcpState.SYN_SENT && icmp.innerSeq == s.sndUna) {
            ConnectResult r = null;
            if (icmp.icmpType == Icmp.TIME_EXCEEDED) {
                r = ConnectResult.EHOSTUNREACH;
            } else if (icmp.icmpType == Icmp.DEST_UNREACH && icmp.icmpCode != 4 && icmp.icmpCode <= 15) {
                switch (icmp.icmpCode) {
                    case Icmp.NET_UNREACH:
                    case 6:
                    case 9:
                    case 11:
                        r = ConnectResult.ENETUNREACH;
                        break;
                    case Icmp.PORT_UNREACH:
                        r = ConnectResult.ECONNREFUSED;
                        break;
                    default:
                        r = ConnectResult.EHOSTUNREACH;
                }
            }
            if (r != null) {
                finish(s, r);
                destroy(s);
            }
        }
        ns.pool().release(icmp);
    }

    /** {@code tcp_rcv_synsent_state_process}. */
    private void synSent(TcpSocket s, Packet p) {
        int f = p.tcpFlags;
        if ((f & ACK) != 0) {
            if (!after(p.ack, s.sndUna) || after(p.ack, s.sndNxt)) {
                // "Previous FIN/ACK or RST/ACK might be ignored": retransmit soon, answer with RST
                if (s.retransmits == 0) {
                    s.scheduleIn(RetransmitSchedule.TIMEOUT_MIN);
                }
                if (ns.trace().enabled()) {
                    decide(s.flowId, "syn_sent: unacceptable ack, rst" + (s.retransmits == 0
                            ? " and syn retransmission in 8 ms" : ""));
                }
                sendReset(p, s.flowId);
                return;
            }
            if ((f & RST) != 0) {
                finish(s, ConnectResult.ECONNREFUSED); // tcp_reset in SYN_SENT
                destroy(s);
                return;
            }
            if ((f & SYN) == 0) {
                return;
            }
            s.irs = p.seq;
            s.rcvNxt = p.seq + 1;
            s.sndUna = p.ack;
            s.tsOk = s.tsOn && p.tsVal != 0;
            if (s.tsOk) {
                s.tsRecent = p.tsVal;
                s.tsRecentStampSec = sim.now() / SECOND;
            }
            s.state = TcpState.ESTABLISHED;
            s.establishedNs = sim.now();
            s.cancel();
            s.retransmits = 0;
            s.backoff = 0;
            s.rtoNs = RetransmitSchedule.rtoFromSample(sim.now() - s.lastSynNs);
            sendAck(s);
            clientEstablished(s);
            return;
        }
        // RST without ACK, a bare SYN (simultaneous open, not modelled) or anything else: discarded
    }

    /** {@code tcp_check_req}: a segment for a request socket. */
    private void request(TcpSocket r, Packet p) {
        int f = p.tcpFlags;
        if ((f & RST) != 0) {
            if (p.seq == r.rcvNxt) {
                r.listener.requests.remove(r);
                destroy(r);
            }
            return;
        }
        if ((f & SYN) != 0 && (f & ACK) == 0) {
            if (p.seq == r.irs) {
                if (!oowRateLimited(r)) {
                    sendSynAck(r); // a retransmitted SYN: inet_rtx_syn_ack
                }
            } else if (!after(r.rcvNxt, p.seq) && before(p.seq, r.rcvNxt + WINDOW)) {
                sendReset(p, r.flowId); // another SYN inside the window: embryonic reset
                destroy(r);
            } else if (!oowRateLimited(r)) {
                sendSegment(r, ACK, r.iss + 1, r.rcvNxt, 0); // out of window: the request's ACK
            }
            return;
        }
        if ((f & ACK) == 0) {
            return;
        }
        if (p.ack != r.iss + 1) {
            sendReset(p, r.flowId);
            return;
        }
        Listener l = r.listener;
        if (l.acceptQueue.size() > l.spec.backlog()) {
            listenOverflows++; // tcp_abort_on_overflow=0: drop the ACK, the request stays
            return;
        }
        l.requests.remove(r);
        r.cancel();
        updateTs(r, p);
        r.state = TcpState.ESTABLISHED;
        r.establishedNs = sim.now();
        r.sndUna = p.ack;
        r.retransmits = 0;
        r.rtoNs = RetransmitSchedule.rtoFromSample(sim.now() - r.lastSynNs);
        l.acceptQueue.add(r);
        if (p.payloadLength > 0 || (f & FIN) != 0) {
            established(r, p);
        }
        acceptReady(l);
    }

    /** {@code tcp_timewait_state_process}. */
    private void timewait(TcpSocket tw, Packet p) {
        int f = p.tcpFlags;
        boolean rst = (f & RST) != 0;
        boolean syn = (f & SYN) != 0;
        boolean ack = (f & ACK) != 0;
        int endSeq = p.seq + p.payloadLength + (syn ? 1 : 0) + ((f & FIN) != 0 ? 1 : 0);
        boolean pawsReject = !rst && tw.tsOk && p.tsVal != 0 && tw.tsRecent - p.tsVal > 1;
        if (tw.state == TcpState.FIN_WAIT2_ORPHAN) {
            if (pawsReject || !inWindow(p.seq, endSeq, tw.rcvNxt, tw.rcvNxt + WINDOW)) {
                twAck(tw, p, true);
                return;
            }
            if (rst) {
                destroy(tw);
                return;
            }
            if (syn && !before(p.seq, tw.rcvNxt)) {
                sendReset(p, tw.flowId);
                destroy(tw);
                return;
            }
            if (!ack || !after(endSeq, tw.rcvNxt) || endSeq == p.seq) {
                return;
            }
            if ((f & FIN) == 0 || endSeq != tw.rcvNxt + 1) {
                sendReset(p, tw.flowId); // new data after a half-duplex close
                destroy(tw);
                return;
            }
            tw.rcvNxt = endSeq;
            updateTs(tw, p);
            tw.state = TcpState.TIME_WAIT;
            tw.scheduleIn(RetransmitSchedule.TIMEWAIT_LEN);
            twAck(tw, p, false);
            return;
        }
        if (!pawsReject && p.seq == tw.rcvNxt && (p.seq == endSeq || rst)) {
            if (rst) {
                destroy(tw); // TIME-WAIT assassination (tcp_rfc1337 = 0)
                return;
            }
            tw.scheduleIn(RetransmitSchedule.TIMEWAIT_LEN);
            updateTs(tw, p);
            return;
        }
        if (syn && !rst && !ack && !pawsReject
                && (after(p.seq, tw.rcvNxt) || (tw.tsOk && p.tsVal != 0 && tw.tsRecent - p.tsVal < 0))) {
            Listener l = listeners.get(tw.lport);
            if (l != null) {
                if (ns.trace().enabled()) {
                    decide(p.flowId, "syn reopens timewait of flow " + tw.flowId);
                }
                int isn = tw.sndNxt + 65535 + 2;
                destroy(tw);
                connRequest(l, p, (isn == 0 ? 1 : isn) & 0xffffffffL);
                return;
            }
            twAck(tw, p, true);
            return;
        }
        if (!rst) {
            if (pawsReject || ack) {
                tw.scheduleIn(RetransmitSchedule.TIMEWAIT_LEN);
            }
            twAck(tw, p, true);
        }
    }

    /** Segments for synchronized states ({@code tcp_validate_incoming}, {@code tcp_ack}, {@code tcp_data_queue}). */
    private void established(TcpSocket s, Packet p) {
        int f = p.tcpFlags;
        boolean rst = (f & RST) != 0;
        boolean fin = (f & FIN) != 0;
        int len = p.payloadLength;
        int endSeq = p.seq + len + ((f & SYN) != 0 ? 1 : 0) + (fin ? 1 : 0);
        if ((f & SYN) != 0 && !rst) {
            challengeAck(s); // RFC 5961 4.2
            return;
        }
        if (!(!before(endSeq, s.rcvNxt) && !after(p.seq, s.rcvNxt + WINDOW))) {
            if (!rst && !oowRateLimited(s)) {
                sendAck(s); // tcp_send_dupack of an out-of-window segment
            }
            return;
        }
        if (rst) {
            boolean lateFin = (s.state == TcpState.CLOSE_WAIT || s.state == TcpState.LAST_ACK
                    || s.state == TcpState.CLOSING) && p.seq == s.rcvNxt - 1;
            if (p.seq == s.rcvNxt || lateFin) {
                resetReceived(s);
            } else {
                challengeAck(s); // RFC 5961 3.2
            }
            return;
        }
        if ((f & ACK) == 0) {
            return;
        }
        if (s.tsOk && p.tsVal != 0 && !after(p.seq, s.rcvNxt)) {
            updateTs(s, p);
        }
        if (after(p.ack, s.sndUna) && !after(p.ack, s.sndNxt)) {
            s.sndUna = p.ack;
            ackAdvanced(s);
            if (s.state == TcpState.CLOSE) {
                return;
            }
        }
        int newBytes = 0;
        if (len > 0 && !after(p.seq, s.rcvNxt) && after(p.seq + len, s.rcvNxt)) {
            newBytes = p.seq + len - s.rcvNxt;
        }
        if (newBytes > 0 && s.orphan) {
            sendReset(p, s.flowId); // data after close(): tcp_reset, the peer learns by RST
            destroy(s);
            return;
        }
        if (len > 0 && newBytes == 0 && !fin) {
            sendAck(s); // duplicate data
            return;
        }
        s.rcvNxt += newBytes;
        s.received += newBytes;
        boolean newFin = fin && p.seq + len == s.rcvNxt;
        if (newFin) {
            s.rcvNxt += 1;
            finReceived(s);
        } else if (newBytes > 0) {
            sendAck(s); // quick ACK
        }
        if (s.state == TcpState.FIN_WAIT2 && s.orphan) {
            // tcp_time_wait(sk, TCP_FIN_WAIT2, tmo): the orphan becomes a timewait mini-socket
            s.state = TcpState.FIN_WAIT2_ORPHAN;
            s.scheduleIn(sysctls.get(Sysctl.NET_IPV4_TCP_FIN_TIMEOUT) * SECOND);
        }
        if (newBytes > 0 && s.state != TcpState.CLOSE) {
            dataReceived(s);
        }
    }

    /** {@code tcp_ack} moved snd_una forward. */
    private void ackAdvanced(TcpSocket s) {
        s.retransmits = 0;
        s.backoff = 0;
        if (s.sndUna == s.sndNxt) {
            s.cancel();
            s.rtxStampNs = 0;
        } else {
            s.rtxStampNs = sim.now();
            s.scheduleIn(s.rtoNs);
        }
        if (s.finSent && s.sndUna == s.sndNxt) {
            switch (s.state) {
                case FIN_WAIT1:
                    s.state = TcpState.FIN_WAIT2;
                    break;
                case CLOSING:
                    enterTimewait(s);
                    break;
                case LAST_ACK:
                    destroy(s);
                    return;
                default:
                    break;
            }
        }
        if (s.client) {
            checkExchange(s);
        }
    }

    /** {@code tcp_fin}: the peer's FIN arrived in order. */
    private void finReceived(TcpSocket s) {
        switch (s.state) {
            case ESTABLISHED:
                s.state = TcpState.CLOSE_WAIT;
                if (!peerFinCloses(s)) {
                    sendAck(s);
                }
                break;
            case FIN_WAIT1:
                s.state = TcpState.CLOSING;
                sendAck(s);
                break;
            case FIN_WAIT2:
                sendAck(s);
                enterTimewait(s);
                break;
            default:
                sendAck(s);
        }
    }

    /** {@code tcp_reset}: an acceptable RST arrived. */
    private void resetReceived(TcpSocket s) {
        if (s.client) {
            finish(s, s.exchangeDone ? ConnectResult.OK : ConnectResult.ECONNRESET);
        }
        destroy(s);
    }

    // ================================================================== listener side

    /** {@code tcp_conn_request}: a SYN for a listener; {@code isn} is -1 or the timewait-derived ISN. */
    private void connRequest(Listener l, Packet p, long isn) {
        if (l.acceptQueue.size() > l.spec.backlog()) {
            listenOverflows++; // sk_acceptq_is_full: the SYN is dropped silently
            if (ns.trace().enabled()) {
                decide(p.flowId, "syn dropped: accept queue of :" + l.port + " full (backlog " + l.spec.backlog() + ")");
            }
            return;
        }
        TcpSocket r = new TcpSocket(this, false);
        r.laddr = p.dst;
        r.lport = p.dport;
        r.raddr = p.src;
        r.rport = p.sport;
        r.flowId = p.flowId;
        r.iss = isn >= 0 ? (int) isn : isnRng.nextInt();
        r.irs = p.seq;
        r.rcvNxt = p.seq + 1;
        r.sndUna = r.iss;
        r.sndNxt = r.iss + 1;
        r.dataEnd = r.sndNxt;
        r.tsOn = sysctls.get(Sysctl.NET_IPV4_TCP_TIMESTAMPS) != 0;
        r.tsOk = r.tsOn && p.tsVal != 0;
        r.tsOff = tsOffset(r.laddr, r.raddr);
        if (r.tsOk) {
            r.tsRecent = p.tsVal;
            r.tsRecentStampSec = sim.now() / SECOND;
        }
        r.state = TcpState.SYN_RECV;
        r.listener = l;
        r.server = l.spec;
        r.rtoNs = RetransmitSchedule.TIMEOUT_INIT;
        hash(r);
        l.requests.add(r);
        sendSynAck(r);
        r.scheduleIn(r.rtoNs);
    }

    /** The application accepts what waits in the queue. */
    private void acceptReady(Listener l) {
        while (l.accepting && !l.acceptQueue.isEmpty()) {
            TcpSocket c = l.acceptQueue.poll();
            c.accepted = true;
            if (l.spec.acceptHandler() != null) {
                l.spec.acceptHandler().accept(new AcceptedConnection(sim.now(), c.flowId, ns, c.laddr, c.lport, c.raddr,
                        c.rport));
            }
            if (c.requestWaiting) {
                c.requestWaiting = false;
                startService(c);
            } else if (c.state == TcpState.CLOSE_WAIT && c.server.closeOnPeerFin()) {
                appClose(c, CloseKind.FIN);
            }
        }
    }

    private void startService(TcpSocket s) {
        s.responsePending = true;
        s.appMode = TcpSocket.APP_SERVICE;
        s.app.scheduleIn(s.server.serviceTimeNs());
    }

    /** The server application writes its response, then closes if it closes first. */
    private void respond(TcpSocket s) {
        s.responsePending = false;
        if (s.state != TcpState.ESTABLISHED && s.state != TcpState.CLOSE_WAIT) {
            return;
        }
        if (s.server.responseBytes() > 0) {
            sendData(s, s.server.responseBytes());
        }
        if (s.server.closer() == Closer.SERVER) {
            appClose(s, s.server.closeKind());
        } else if (s.state == TcpState.CLOSE_WAIT && s.server.closeOnPeerFin()) {
            appClose(s, CloseKind.FIN);
        } else if (s.server.keepAliveTimeoutNs() > 0 && s.state == TcpState.ESTABLISHED) {
            s.appMode = TcpSocket.APP_KEEPALIVE; // wait for the next request, then give up
            s.app.scheduleIn(s.server.keepAliveTimeoutNs());
        }
    }

    // ================================================================== client application

    private void clientEstablished(TcpSocket s) {
        if (s.ka != null) {
            keepAliveSend(s);
            return;
        }
        if (s.spec.requestBytes() > 0) {
            sendData(s, s.spec.requestBytes());
        }
        checkExchange(s);
    }

    /** New in-order data reached the application. */
    private void dataReceived(TcpSocket s) {
        if (s.client) {
            checkExchange(s);
        } else if (!s.orphan && !s.responsePending) {
            if (s.accepted) {
                startService(s);
            } else {
                s.requestWaiting = true;
            }
        }
    }

    /** Request acknowledged and response complete: the exchange is over. */
    private void checkExchange(TcpSocket s) {
        if (s.ka != null) {
            keepAliveCheck(s);
            return;
        }
        if (s.exchangeDone || s.orphan || (s.state != TcpState.ESTABLISHED && s.state != TcpState.CLOSE_WAIT)) {
            return;
        }
        if (s.received < s.spec.responseBytes() || before(s.sndUna, s.iss + 1 + s.spec.requestBytes())) {
            return;
        }
        s.exchangeDone = true;
        if (s.exchanged != null) {
            long now = sim.now();
            s.exchanged.accept(new ConnectionRecord(ns.name(), ConnectResult.OK, s.startNs, s.establishedNs - s.synSentNs,
                    now, s.synRetransmissions, s.lport, s.raddr, s.rport, s.flowId));
        }
        s.app.cancel();
        s.appMode = TcpSocket.APP_NONE;
        if (s.spec.closer() == Closer.CLIENT) {
            if (s.spec.holdNs() == 0) {
                clientClose(s, s.spec.closeKind());
            } else {
                s.appMode = TcpSocket.APP_HOLD;
                s.app.scheduleIn(s.spec.holdNs());
            }
        } else if (s.state == TcpState.CLOSE_WAIT) {
            clientClose(s, CloseKind.FIN);
        }
    }

    /**
     * The peer's FIN moved the socket to CLOSE_WAIT: whether the application reads EOF and closes
     * at once (then its FIN carries the ACK of the peer's FIN, as the delayed ACK would let it).
     */
    private boolean peerFinCloses(TcpSocket s) {
        if (s.client && s.ka != null) {
            return keepAlivePeerFin(s);
        }
        if (s.client) {
            if (!s.exchangeDone) {
                if (s.spec.closer() == Closer.CLIENT && s.received >= s.spec.responseBytes()) {
                    return false; // request not yet acknowledged: the ACK will complete the exchange
                }
                finish(s, ConnectResult.EOF);
                appClose(s, CloseKind.FIN);
                return true;
            }
            if (s.spec.closer() == Closer.SERVER) {
                clientClose(s, CloseKind.FIN);
                return true;
            }
            return false;
        }
        if (s.accepted && !s.responsePending && !s.requestWaiting && s.server.closeOnPeerFin()) {
            appClose(s, CloseKind.FIN);
            return true;
        }
        return false;
    }

    private void clientClose(TcpSocket s, CloseKind kind) {
        finish(s, ConnectResult.OK);
        appClose(s, kind);
    }

    /** {@code close()} ({@code tcp_close}): FIN by the {@code new_state[]} table, or an abortive RST. */
    private void appClose(TcpSocket s, CloseKind kind) {
        s.orphan = true;
        s.app.cancel();
        s.appMode = TcpSocket.APP_NONE;
        if (kind == CloseKind.RST) {
            sendSegment(s, RST | ACK, s.sndNxt, s.rcvNxt, 0); // tcp_send_active_reset
            destroy(s);
            return;
        }
        TcpState from = s.state;
        TcpState to = from.closeTo();
        if (to == TcpState.CLOSE) {
            destroy(s);
            return;
        }
        s.state = to;
        if (from.closeSendsFin()) {
            sendFin(s);
        }
    }

    // ================================================================== keep-alive client

    /** The application sends its next request on an idle keep-alive connection. */
    void keepAliveRequest(KeepAliveHandle h) {
        TcpSocket s = h.socket;
        h.active = true;
        s.app.cancel();
        s.appMode = TcpSocket.APP_NONE;
        if (s.spec.appTimeoutNs() > 0) {
            s.appMode = TcpSocket.APP_TIMEOUT;
            s.app.scheduleIn(s.spec.appTimeoutNs());
        }
        keepAliveSend(s);
    }

    /** The application closes an idle keep-alive connection. */
    void keepAliveClose(KeepAliveHandle h) {
        clientClose(h.socket, CloseKind.FIN);
    }

    /** Writes the outstanding request and notes where its acknowledgement and response end. */
    private void keepAliveSend(TcpSocket s) {
        KeepAliveHandle h = s.ka;
        if (s.spec.requestBytes() > 0) {
            sendData(s, s.spec.requestBytes());
        }
        h.requestEnd = s.sndNxt;
        h.responseTarget = s.received + s.spec.responseBytes();
        keepAliveCheck(s);
    }

    /** Request acknowledged and response complete: the request is done, the connection idle. */
    private void keepAliveCheck(TcpSocket s) {
        KeepAliveHandle h = s.ka;
        if (!h.active || !h.open || s.orphan || (s.state != TcpState.ESTABLISHED && s.state != TcpState.CLOSE_WAIT)) {
            return;
        }
        if (s.received < h.responseTarget || before(s.sndUna, h.requestEnd)) {
            return;
        }
        h.active = false;
        h.done++;
        s.app.cancel();
        s.appMode = TcpSocket.APP_NONE;
        if (s.state == TcpState.CLOSE_WAIT) {
            h.client.requestDone(h, ConnectResult.OK);
            clientClose(s, CloseKind.FIN); // the peer closed meanwhile: the pool drops it
            return;
        }
        if (h.idleNs > 0) {
            s.appMode = TcpSocket.APP_IDLE;
            s.app.scheduleIn(h.idleNs);
        }
        h.client.requestDone(h, ConnectResult.OK);
    }

    /**
     * The peer's FIN on a keep-alive connection: while idle the pool reads EOF and closes it at
     * once (FIN); during a request whose response is incomplete the request fails with EOF.
     */
    private boolean keepAlivePeerFin(TcpSocket s) {
        KeepAliveHandle h = s.ka;
        if (h.active && s.received >= h.responseTarget) {
            return false; // response complete, request not yet acknowledged: the ACK completes it
        }
        if (h.active) {
            finish(s, ConnectResult.EOF);
            appClose(s, CloseKind.FIN);
            return true;
        }
        clientClose(s, CloseKind.FIN);
        return true;
    }

    // ================================================================== timers

    /** The socket's own timer: retransmission, SYN-ACK retransmission, timewait and FIN_WAIT2 expiry. */
    void onTimer(TcpSocket s) {
        switch (s.state) {
            case SYN_SENT:
                synTimer(s);
                return;
            case SYN_RECV:
                synAckTimer(s);
                return;
            case TIME_WAIT:
            case FIN_WAIT2_ORPHAN:
                destroy(s);
                return;
            case CLOSE:
                return;
            default:
                dataTimer(s);
        }
    }

    /** {@code tcp_retransmit_timer} in SYN_SENT, with {@code tcp_write_timeout}'s count and elapsed limits. */
    private void synTimer(TcpSocket s) {
        boolean linear = profile.has(KernelFeature.TCP_SYN_LINEAR_TIMEOUTS);
        int linearTimeouts = linear ? sysctls.get(Sysctl.NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS) : 0;
        int synRetries = sysctls.get(Sysctl.NET_IPV4_TCP_SYN_RETRIES);
        boolean expired = RetransmitSchedule.synExpired(s.retransmits, synRetries, linear, linearTimeouts, true);
        if (!expired && profile.has(KernelFeature.TCP_SYN_TIMEOUT_ELAPSED) && s.retransmits > 0) {
            expired = sim.now() - s.synSentNs >= RetransmitSchedule.modelTimeout(synRetries,
                    RetransmitSchedule.TIMEOUT_INIT);
        }
        if (expired) {
            if (ns.trace().enabled()) {
                decide(s.flowId, "connect timed out after " + s.retransmits + " syn retransmissions");
            }
            finish(s, ConnectResult.ETIMEDOUT);
            destroy(s);
            return;
        }
        sendSyn(s);
        s.synRetransmissions++;
        s.backoff++;
        s.retransmits++;
        s.rtoNs = RetransmitSchedule.nextSynRto(s.rtoNs, s.backoff, linear, linearTimeouts);
        s.scheduleIn(s.rtoNs);
        if (ns.trace().enabled()) {
            decide(s.flowId, "syn retransmission " + s.retransmits + ", next rto " + s.rtoNs / MS + " ms");
        }
    }

    /** {@code reqsk_timer_handler}: SYN-ACKs at 1, 3, 7, 15, 31 s, the request dropped at 63 s. */
    private void synAckTimer(TcpSocket r) {
        if (r.retransmits >= sysctls.get(Sysctl.NET_IPV4_TCP_SYNACK_RETRIES)) {
            r.listener.requests.remove(r);
            destroy(r);
            return;
        }
        sendSynAck(r);
        r.retransmits++;
        r.scheduleIn(Math.min(RetransmitSchedule.TIMEOUT_INIT << r.retransmits, RetransmitSchedule.RTO_MAX));
    }

    /** {@code tcp_retransmit_timer} after the handshake: resend the oldest unacknowledged segment. */
    private void dataTimer(TcpSocket s) {
        if (s.sndUna == s.sndNxt) {
            return;
        }
        int boundary;
        if (s.orphan) {
            boundary = sysctls.get(Sysctl.NET_IPV4_TCP_ORPHAN_RETRIES);
            if (boundary == 0 && s.rtoNs < RetransmitSchedule.RTO_MAX) {
                boundary = 8; // tcp_orphan_retries: alive
            }
        } else {
            boundary = sysctls.get(Sysctl.NET_IPV4_TCP_RETRIES2);
        }
        if (s.retransmits > 0 && sim.now() - s.rtxStampNs >= RetransmitSchedule.dataTimeout(boundary)) {
            if (s.client) {
                finish(s, s.exchangeDone ? ConnectResult.OK : ConnectResult.ETIMEDOUT);
            }
            destroy(s);
            return;
        }
        if (before(s.sndUna, s.dataEnd)) {
            sendSegment(s, PSH | ACK, s.sndUna, s.rcvNxt, s.dataEnd - s.sndUna);
        } else if (s.finSent) {
            sendSegment(s, FIN | ACK, s.sndNxt - 1, s.rcvNxt, 0);
        }
        s.retransmits++;
        s.backoff++;
        s.rtoNs = Math.min(s.rtoNs << 1, RetransmitSchedule.RTO_MAX);
        s.scheduleIn(s.rtoNs);
    }

    /** The application timer: connect + exchange deadline, hold, or service time. */
    void onAppTimer(TcpSocket s) {
        int mode = s.appMode;
        s.appMode = TcpSocket.APP_NONE;
        switch (mode) {
            case TcpSocket.APP_TIMEOUT:
                finish(s, ConnectResult.APP_TIMEOUT);
                // SYN_SENT: closed silently; established with nothing unread: FIN (tcp_close)
                appClose(s, CloseKind.FIN);
                return;
            case TcpSocket.APP_HOLD:
                clientClose(s, s.spec.closeKind());
                return;
            case TcpSocket.APP_SERVICE:
                respond(s);
                return;
            case TcpSocket.APP_IDLE:
                // the pool's idle timeout: close() of an idle connection, FIN
                clientClose(s, CloseKind.FIN);
                return;
            case TcpSocket.APP_KEEPALIVE:
                if (s.state == TcpState.ESTABLISHED && !s.responsePending && !s.requestWaiting && !s.orphan) {
                    if (ns.trace().enabled()) {
                        decide(s.flowId, "keep-alive timeout: server closes the idle connection");
                    }
                    appClose(s, CloseKind.FIN);
                }
                return;
            default:
        }
    }

    private void enterTimewait(TcpSocket s) {
        s.state = TcpState.TIME_WAIT;
        s.app.cancel();
        s.scheduleIn(RetransmitSchedule.TIMEWAIT_LEN);
    }

    // ================================================================== output

    private void sendSyn(TcpSocket s) {
        s.lastSynNs = sim.now();
        Packet p = segment(s, SYN, s.iss, 0, 0);
        if (s.tsOn) {
            p.tsVal = tsNow(s);
            p.tsEcr = 0;
        }
        ns.send(p);
    }

    private void sendSynAck(TcpSocket r) {
        r.lastSynNs = sim.now();
        ns.send(segment(r, SYN | ACK, r.iss, r.rcvNxt, 0));
    }

    private void sendAck(TcpSocket s) {
        sendSegment(s, ACK, s.sndNxt, s.rcvNxt, 0);
    }

    private void challengeAck(TcpSocket s) {
        boolean limited = oowRateLimited(s);
        if (ns.trace().enabled()) {
            decide(s.flowId, "challenge ack in " + s.state + (limited ? " suppressed by tcp_invalid_ratelimit" : ""));
        }
        if (!limited) {
            challengeAcks++;
            sendAck(s);
        }
    }

    private void sendData(TcpSocket s, int len) {
        if (s.sndUna == s.sndNxt) {
            s.rtxStampNs = sim.now();
        }
        sendSegment(s, PSH | ACK, s.sndNxt, s.rcvNxt, len);
        s.sndNxt += len;
        s.dataEnd = s.sndNxt;
        if (!s.isPending()) {
            s.scheduleIn(s.rtoNs);
        }
    }

    private void sendFin(TcpSocket s) {
        if (s.sndUna == s.sndNxt) {
            s.rtxStampNs = sim.now();
        }
        sendSegment(s, FIN | ACK, s.sndNxt, s.rcvNxt, 0);
        s.sndNxt += 1;
        s.finSent = true;
        if (!s.isPending()) {
            s.scheduleIn(s.rtoNs);
        }
    }

    /** {@code tcp_v4_timewait_ack}, rate-limited like {@code tcp_timewait_check_oow_rate_limit}. */
    private void twAck(TcpSocket tw, Packet cause, boolean limited) {
        boolean pureOrSyn = cause.payloadLength == 0 || (cause.tcpFlags & SYN) != 0;
        if (limited && pureOrSyn && oowRateLimited(tw)) {
            return;
        }
        sendAck(tw);
    }

    private void sendSegment(TcpSocket s, int flags, int seq, int ack, int len) {
        ns.send(segment(s, flags, seq, ack, len));
    }

    private Packet segment(TcpSocket s, int flags, int seq, int ack, int len) {
        Packet p = ns.pool().acquire();
        p.proto = IpProto.TCP;
        p.src = s.laddr;
        p.dst = s.raddr;
        p.sport = s.lport;
        p.dport = s.rport;
        p.tcpFlags = flags;
        p.seq = seq;
        p.ack = (flags & ACK) != 0 ? ack : 0;
        p.window = WINDOW;
        p.payloadLength = len;
        p.flowId = s.flowId;
        if (s.tsOk) {
            p.tsVal = tsNow(s);
            p.tsEcr = s.tsRecent;
        }
        return p;
    }

    /**
     * {@code tcp_v4_send_reset}: never for a RST; for a segment with ACK, RST with seq = its ack;
     * otherwise RST|ACK with seq 0 and ack = its seq + length (+1 for SYN and FIN).
     */
    private void sendReset(Packet in, long flowId) {
        int f = in.tcpFlags;
        if ((f & RST) != 0) {
            return;
        }
        Packet p = ns.pool().acquire();
        p.proto = IpProto.TCP;
        p.src = in.dst;
        p.dst = in.src;
        p.sport = in.dport;
        p.dport = in.sport;
        if ((f & ACK) != 0) {
            p.tcpFlags = RST;
            p.seq = in.ack;
        } else {
            p.tcpFlags = RST | ACK;
            p.seq = 0;
            p.ack = in.seq + in.payloadLength + ((f & SYN) != 0 ? 1 : 0) + ((f & FIN) != 0 ? 1 : 0);
        }
        p.flowId = flowId;
        ns.send(p);
    }

    /** {@code __tcp_oow_rate_limited} with {@code tcp_invalid_ratelimit}. */
    private boolean oowRateLimited(TcpSocket s) {
        long now = sim.now();
        long limit = sysctls.get(Sysctl.NET_IPV4_TCP_INVALID_RATELIMIT) * MS;
        if (s.lastOowNs != Long.MIN_VALUE && now - s.lastOowNs < limit) {
            return true;
        }
        s.lastOowNs = now;
        return false;
    }

    /** The TCP timestamp clock in ms plus the per host pair offset ({@code secure_tcp_ts_off}). */
    private int tsNow(TcpSocket s) {
        return (int) (sim.now() / MS) + s.tsOff;
    }

    private int tsOffset(int saddr, int daddr) {
        if (sysctls.get(Sysctl.NET_IPV4_TCP_TIMESTAMPS) != 1) {
            return 1; // no random offset: the clock reads 1 ms at the start of the run
        }
        long h = tsSecret ^ (((long) saddr << 32) | (daddr & 0xffffffffL));
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        int off = (int) (h ^ (h >>> 33));
        return off == 0 ? 1 : off;
    }

    private void updateTs(TcpSocket s, Packet p) {
        if (s.tsOk && p.tsVal != 0) {
            s.tsRecent = p.tsVal;
            s.tsRecentStampSec = sim.now() / SECOND;
        }
    }

    // ================================================================== records

    /** The decision traced when a connect sends its first SYN (it opens the connection's explanation). */
    public static final String SYN_SENT = "syn sent";

    /** Traces a decision; callers guard with {@code ns.trace().enabled()} when the text is built. */
    private void decide(long flowId, String what) {
        ns.trace().emit(new TcpDecision(sim.now(), ns.name(), flowId, what));
    }

    private void finish(TcpSocket s, ConnectResult r) {
        if (!s.client || s.recorded) {
            return;
        }
        s.recorded = true;
        long now = sim.now();
        long connect = s.establishedNs >= 0 ? s.establishedNs - s.synSentNs : now - s.synSentNs;
        emit(new ConnectionRecord(ns.name(), r, s.startNs, connect, now, s.synRetransmissions, s.lport, s.raddr,
                s.rport, s.flowId), s.done);
    }

    private void emit(ConnectionRecord rec, Consumer<ConnectionRecord> done) {
        Trace t = ns.trace();
        if (t.enabled()) {
            t.emit(rec);
        }
        if (done != null) {
            done.accept(rec);
        }
    }

    // ================================================================== tables

    private static long key(int lport, int raddr, int rport) {
        return ((long) raddr << 32) | ((long) (lport & 0xffff) << 16) | (rport & 0xffff);
    }

    private TcpSocket lookup(int laddr, int lport, int raddr, int rport) {
        for (TcpSocket s = ehash.get(key(lport, raddr, rport)); s != null; s = s.hashNext) {
            if (s.laddr == laddr) {
                return s;
            }
        }
        return null;
    }

    private void hash(TcpSocket s) {
        long k = key(s.lport, s.raddr, s.rport);
        s.hashNext = ehash.get(k);
        ehash.put(k, s);
    }

    /** Removes a socket for good: timers, hash, port ownership. */
    private void destroy(TcpSocket s) {
        if (s.state == TcpState.CLOSE) {
            return;
        }
        s.cancel();
        s.app.cancel();
        long k = key(s.lport, s.raddr, s.rport);
        TcpSocket head = ehash.get(k);
        if (head == s) {
            if (s.hashNext == null) {
                ehash.remove(k);
            } else {
                ehash.put(k, s.hashNext);
            }
        } else {
            for (TcpSocket x = head; x != null; x = x.hashNext) {
                if (x.hashNext == s) {
                    x.hashNext = s.hashNext;
                    break;
                }
            }
        }
        s.hashNext = null;
        if (!s.client && s.listener != null && !s.accepted) {
            s.listener.requests.remove(s);
            s.listener.acceptQueue.remove(s);
        }
        if (s.client) {
            release(portOwners, s.lport);
            if (s.bound) {
                release(bindOwners, s.lport);
            }
        }
        s.state = TcpState.CLOSE;
    }

    private static void release(Int2IntOpenHashMap m, int port) {
        if (m.addTo(port, -1) <= 1) {
            m.remove(port);
        }
    }

    // ================================================================== sequence arithmetic

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** {@code tcp_in_window}: the segment overlaps [s_win, e_win]. */
    private static boolean inWindow(int seq, int endSeq, int sWin, int eWin) {
        if (seq == sWin) {
            return true;
        }
        if (after(endSeq, sWin) && before(seq, eWin)) {
            return true;
        }
        return seq == eWin && seq == endSeq;
    }
}
