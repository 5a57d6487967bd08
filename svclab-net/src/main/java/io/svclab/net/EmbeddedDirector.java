package io.svclab.net;

import io.svclab.kernel.Sysctl;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsConn;
import io.svclab.net.ipvs.IpvsNfct;
import io.svclab.net.ipvs.Ipvsadm;

/**
 * An IPVS director node for benchmarks and capacity figures: conntrack and NAT, IPVS with one
 * TCP virtual service {@value #VIP}:80 (round robin, two masqueraded real servers on their own
 * devices), clients on {@code cli0} (10.1.0.0/16). Nothing is traced and the frames that leave
 * the node go back to the packet pool unrecorded ({@link EmbeddedNetns} in quiet mode), so a
 * packet's trip through the hooks allocates only the table entries it creates.
 */
public final class EmbeddedDirector {

    public static final String VIP = "10.96.0.10";
    public static final int CLIENT_BASE = Ip4.parse("10.1.0.2");
    /** Client ports per client address in {@link #flow(int)}. */
    public static final int PORTS = 60_000;

    private final EmbeddedNetns e;
    private static final int RS1 = Ip4.parse("10.250.2.2");
    private final NetInterface cli;
    private final NetInterface rs1;
    private final NetInterface rs2;
    private final int vip;
    private final ConntrackTable conntrack;
    private final Ipvs ipvs;

    /** A director on the given kernel profile with room for {@code maxFlows} conntrack entries. */
    public EmbeddedDirector(String kernel, int maxFlows) {
        e = new EmbeddedNetns(kernel, true);
        cli = e.device("cli0", "10.1.0.1", 16);
        rs1 = e.device("rs1", "10.250.2.1", 24);
        rs2 = e.device("rs2", "10.250.3.1", 24);
        NetInterface dummy = e.ns().addDevice("kube-ipvs0", NetInterface.Kind.DUMMY);
        vip = Ip4.parse(VIP);
        e.ns().addAddress(dummy, vip, 32);
        e.ns().sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        e.ns().sysctls().set(Sysctl.NET_IPV4_VS_CONNTRACK, 1); // as kube-proxy sets it: IPVS flows are tracked
        e.ns().sysctls().set(Sysctl.NET_NF_CONNTRACK_MAX, Math.max(maxFlows, 262_144));
        Conntrack ct = Conntrack.install(e.ns());
        conntrack = ct.table();
        ipvs = Ipvs.install(e.ns(), IpvsNfct.of(e.ns()));
        Ipvsadm adm = new Ipvsadm(ipvs);
        for (String cmd : new String[] {"ipvsadm -A -t " + VIP + ":80 -s rr",
                "ipvsadm -a -t " + VIP + ":80 -r 10.250.2.2:8080 -m -w 1",
                "ipvsadm -a -t " + VIP + ":80 -r 10.250.3.2:8080 -m -w 1"}) {
            Ipvsadm.Result r = adm.exec(cmd);
            if (r.exitCode() != 0) {
                throw new IllegalStateException(cmd + ": " + r.stderr());
            }
        }
        // resolve both real servers' neighbour entries once, so that later packets go straight out
        segment(0, TcpFlags.SYN);
        segment(1, TcpFlags.SYN);
        e.runFor(1_000_000_000L);
    }

    public EmbeddedNetns netns() {
        return e;
    }

    public ConntrackTable conntrack() {
        return conntrack;
    }

    public Ipvs ipvs() {
        return ipvs;
    }

    /** Client address of flow {@code i} (0 … 60000 * 65000). */
    public static int clientAddr(int i) {
        return CLIENT_BASE + i / PORTS;
    }

    /** Client port of flow {@code i}. */
    public static int clientPort(int i) {
        return 1024 + i % PORTS;
    }

    public int vip() {
        return vip;
    }

    /**
     * A TCP segment of flow {@code i} from its client to VIP:80 arrives on cli0 now and runs through
     * PREROUTING (conntrack, DNAT), LOCAL_IN (IPVS), forwarding and POSTROUTING (confirm) before this
     * method returns. The first SYN of a flow creates its conntrack and IPVS entries. Client
     * sequence numbers start at 1000 (the SYN), server ones at 5000.
     */
    public void segment(int i, int flags) {
        boolean syn = (flags & TcpFlags.SYN) != 0;
        segment(i, flags, syn ? 1000 : 1001, syn ? 0 : 5001);
    }

    /** A client segment of flow {@code i} with the given sequence and acknowledgement numbers. */
    public void segment(int i, int flags, int seq, int ack) {
        Packet p = e.packet();
        p.src = clientAddr(i);
        p.dst = vip;
        p.proto = IpProto.TCP;
        p.ttl = 64;
        p.sport = clientPort(i);
        p.dport = 80;
        p.tcpFlags = flags;
        p.seq = seq;
        p.ack = ack;
        p.window = 65535;
        e.ns().receive(p, cli);
    }

    /**
     * The real server that IPVS chose for flow {@code i} answers: a segment from it to the client
     * arrives on its device (conntrack reply direction, IPVS out: source back to VIP:80).
     */
    public void reply(int i, int flags, int seq, int ack) {
        IpvsConn c = ipvs.connection(IpProto.TCP, clientAddr(i), clientPort(i), vip, 80);
        if (c == null) {
            throw new IllegalStateException("flow " + i + " has no IPVS entry");
        }
        Packet p = e.packet();
        p.src = c.destAddr();
        p.dst = clientAddr(i);
        p.proto = IpProto.TCP;
        p.ttl = 64;
        p.sport = c.destPort();
        p.dport = clientPort(i);
        p.tcpFlags = flags;
        p.seq = seq;
        p.ack = ack;
        p.window = 65535;
        e.ns().receive(p, c.destAddr() == RS1 ? rs1 : rs2);
    }

    /** The three-way handshake of flow {@code i}: afterwards its entries are ESTABLISHED. */
    public void open(int i) {
        segment(i, TcpFlags.SYN, 1000, 0);
        reply(i, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001);
        segment(i, TcpFlags.ACK, 1001, 5001);
    }

    /** Runs the clock forward (timers fire: entries expire). */
    public void runFor(long ns) {
        e.runFor(ns);
    }
}
