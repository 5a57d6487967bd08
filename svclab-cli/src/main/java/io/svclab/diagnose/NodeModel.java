package io.svclab.diagnose;

import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetInterface;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.iptables.IptablesRestoreException;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsNfct;
import io.svclab.net.ipvs.IpvsadmReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's datapath rebuilt from its dumps inside the model: a namespace on the kernel profile
 * with the dumped sysctls, conntrack with the dumped entries, iptables with the saved rules, IPVS
 * with the listed services and real servers and the dumped connection entries (real servers that
 * entries point at but {@code ipvsadm -Ln} no longer lists are added and deleted again, so they
 * wait in the trash as in the kernel). Clients and real servers sit behind one wired device per
 * /24, VIPs on the dummy {@code kube-ipvs0}. {@link #syn} then injects a SYN and reports where it
 * went. A fresh model is built per question, so questions do not disturb each other.
 */
public final class NodeModel {

    /** Where a SYN went: to a real server (address, port), refused, or dropped. */
    public record Outcome(String kind, int addr, int port, long afterMs, String reason) {

        public static final String FORWARDED = "forwarded";
        public static final String REFUSED = "refused";
        public static final String DROPPED = "dropped";
        public static final String LOCAL = "local";

        public String to() {
            return Ip4.endpoint(addr, port);
        }
    }

    /** Linux SYN retransmissions (initial RTO 1 s, doubling; tcp_syn_retries=6): ms after the first SYN. */
    static final long[] RETRANSMIT_MS = {1000, 3000, 7000, 15000, 31000, 63000};

    /** Time the seeded node runs before the SYN: deferred work of the replayed changes completes. */
    static final long SETTLE_NS = 10_000_000L;

    private final KernelProfile profile;
    private final Dumps.Sysctls sysctls;
    private final Dumps.IpvsList list;
    private final Dumps.IpvsConns conns;
    private final Dumps.Conntrack ct;
    private final Dumps.Iptables iptables;
    private final String iptablesText;
    private final List<String> warnings = new ArrayList<>();

    private EmbeddedNetns e;
    private Ipvs ipvs;
    private final Map<Integer, String> deviceOf = new TreeMap<>();

    public NodeModel(KernelProfile profile, Dumps.Sysctls sysctls, Dumps.IpvsList list, Dumps.IpvsConns conns,
                     Dumps.Conntrack ct, Dumps.Iptables iptables, String iptablesText) {
        this.profile = profile;
        this.sysctls = sysctls;
        this.list = list;
        this.conns = conns;
        this.ct = ct;
        this.iptables = iptables;
        this.iptablesText = iptablesText;
    }

    /** What could not be seeded (the first build's notes). */
    public List<String> warnings() {
        build();
        return List.copyOf(new TreeSet<>(warnings));
    }

    /** The sysctl value the node runs with: the dump's, else the profile's default. */
    public long sysctl(Sysctl s) {
        Dumps.SysctlEntry v = sysctls == null ? null : sysctls.known().get(s);
        return v != null ? v.value() : s.defaultFor(profile);
    }

    /** The namespace after seeding (a fresh one on each call). */
    public EmbeddedNetns build() {
        warnings.clear();
        deviceOf.clear();
        e = new EmbeddedNetns(profile.name());
        for (Sysctl s : Sysctl.values()) {
            if (s.existsIn(profile)) {
                e.ns().sysctls().set(s, sysctl(s));
            }
        }
        if (sysctls == null || !sysctls.known().containsKey(Sysctl.NET_IPV4_IP_FORWARD)) {
            e.ns().sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        }
        wire();
        Conntrack.install(e.ns());
        if (iptables != null) {
            IptablesTables t = IptablesTables.install(e.ns());
            try {
                t.restore(iptablesText);
            } catch (IptablesRestoreException ex) {
                warnings.add("iptables rules not loaded: " + ex.getMessage());
            }
        }
        boolean ipvsMode = list != null || conns != null;
        if (ipvsMode) {
            NetInterface dummy = e.ns().addDevice("kube-ipvs0", NetInterface.Kind.DUMMY);
            TreeSet<Integer> vips = new TreeSet<>();
            if (list != null) {
                for (IpvsadmReader.ServiceRecord s : list.services()) {
                    if (!s.proto().equals("FWM")) {
                        vips.add(s.addr());
                    }
                }
            }
            if (conns != null) {
                for (Dumps.ConnEntry c : conns.entries()) {
                    vips.add(c.rec().vaddr());
                }
            }
            for (int v : vips) {
                if (!e.ns().isLocal(v)) {
                    e.ns().addAddress(dummy, v, 32);
                }
            }
            ipvs = Ipvs.install(e.ns(), IpvsNfct.of(e.ns()));
            Seeder.ipvs(ipvs, list, conns, true, warnings);
        }
        if (ct != null) {
            Seeder.conntrack(e.ns().attachment(ConntrackTable.class), ct, ipvsMode, warnings);
        }
        return e;
    }

    /** One device per /24 of the clients and real servers, with an address of its own in it. */
    private void wire() {
        TreeSet<Integer> hosts = new TreeSet<>();
        if (list != null) {
            for (Dumps.DestEntry d : list.dests()) {
                hosts.add(d.dest().addr());
            }
        }
        if (conns != null) {
            for (Dumps.ConnEntry c : conns.entries()) {
                hosts.add(c.rec().caddr());
                hosts.add(c.rec().daddr());
            }
        }
        if (ct != null) {
            for (Dumps.CtEntry c : ct.entries()) {
                if (c.ipv4()) {
                    hosts.add(c.src());
                    hosts.add(c.replySrc());
                }
            }
        }
        if (iptables != null) {
            for (Dumps.Endpoint p : iptables.endpoints()) {
                hosts.add(p.addr());
            }
        }
        Map<Integer, TreeSet<Integer>> nets = new TreeMap<>();
        for (int h : hosts) {
            nets.computeIfAbsent(h & 0xffffff00, k -> new TreeSet<>()).add(h);
        }
        int i = 0;
        for (Map.Entry<Integer, TreeSet<Integer>> n : nets.entrySet()) {
            int own = -1;
            for (int host = 1; host < 255; host++) {
                int cand = n.getKey() | (host == 1 ? 1 : 255 - host + 1);
                if (!n.getValue().contains(cand)) {
                    own = cand;
                    break;
                }
            }
            String dev = "eth" + i++;
            if (own == -1) {
                warnings.add("the /24 of " + Ip4.format(n.getKey()) + " is full: its hosts are not wired");
                continue;
            }
            e.device(dev, Ip4.format(own), 24);
            for (int h : n.getValue()) {
                deviceOf.put(h, dev);
            }
        }
    }

    /**
     * A SYN from {@code client:cport} to {@code vip:vport} arrives now; when it is dropped, the
     * client's retransmissions follow (1, 3, 7, 15, 31, 63 s). Returns where the first one that
     * got through went, or {@link Outcome#DROPPED} with the IPVS counter that explains it.
     */
    public Outcome syn(int client, int cport, int vip, int vport) {
        build();
        String dev = deviceOf.get(client);
        if (dev == null) {
            return new Outcome(Outcome.DROPPED, 0, 0, 0, "the client address is not wired");
        }
        // the dump was taken after what seeding replays (a deletion's flush work runs one jiffy later)
        e.runFor(SETTLE_NS);
        long start = e.sim().now();
        String firstReason = null;
        for (int k = 0; k <= RETRANSMIT_MS.length; k++) {
            long at = k == 0 ? 0 : RETRANSMIT_MS[k - 1];
            if (k > 0) {
                e.runFor(start + at * 1_000_000L - e.sim().now());
            }
            long[] before = ipvs == null ? null : copy(ipvs.counters());
            e.receive(e.tcp(Ip4.format(client), cport, Ip4.format(vip), vport, TcpFlags.SYN), dev);
            for (EmbeddedNetns.Sent s : e.readOutbound()) {
                if (s.proto() == IpProto.TCP && (s.tcpFlags() & TcpFlags.SYN) != 0 && s.dst() != client) {
                    return new Outcome(Outcome.FORWARDED, s.dst(), s.dport(), at, firstReason);
                }
                if (s.proto() == IpProto.ICMP && s.icmpType() == Icmp.DEST_UNREACH && s.dst() == client) {
                    return new Outcome(Outcome.REFUSED, 0, 0, at, "no real server available (ICMP port unreachable)");
                }
                if (s.proto() == IpProto.TCP && (s.tcpFlags() & TcpFlags.RST) != 0 && s.dst() == client) {
                    return new Outcome(Outcome.LOCAL, 0, 0, at, "reset by the node's own stack");
                }
            }
            if (firstReason == null && ipvs != null) {
                firstReason = why(before, ipvs.counters());
            }
        }
        return new Outcome(Outcome.DROPPED, 0, 0, RETRANSMIT_MS[RETRANSMIT_MS.length - 1], firstReason);
    }

    private static long[] copy(Ipvs.Counters c) {
        return new long[] {c.reuseDropped(), c.nodestDropped(), c.noDestination()};
    }

    private static String why(long[] before, Ipvs.Counters after) {
        if (after.reuseDropped() > before[0]) {
            return "old-conntrack";
        }
        if (after.nodestDropped() > before[1]) {
            return "no-destination-entry";
        }
        return "dropped";
    }
}
