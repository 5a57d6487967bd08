package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.NetInterface;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.trace.HookTraced;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A director node under test: client side {@code cli0} (10.250.1.0/24), real servers behind
 * {@code rs1} (10.250.2.2) and {@code rs2} (10.250.3.2), the VIP 10.250.100.100 on the dummy
 * {@code kube-ipvs0}, IPVS installed — the topology of the oracle in /work/shared/oracle.
 */
final class IpvsNode {

    static final String VIP = "10.250.100.100";
    static final String CLIENT = "10.250.1.2";
    static final String RS1 = "10.250.2.2";
    static final String RS2 = "10.250.3.2";

    final EmbeddedNetns e;
    final Ipvs ipvs;
    final Ipvsadm adm;

    IpvsNode(String kernel, IpvsConntrack ct) {
        e = new EmbeddedNetns(kernel);
        e.device("cli0", "10.250.1.1", 24);
        e.device("rs1", "10.250.2.1", 24);
        e.device("rs2", "10.250.3.1", 24);
        NetInterface dummy = e.ns().addDevice("kube-ipvs0", NetInterface.Kind.DUMMY);
        e.ns().addAddress(dummy, Ip4.parse(VIP), 32);
        e.ns().sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        ipvs = Ipvs.install(e.ns(), ct);
        adm = new Ipvsadm(ipvs);
    }

    IpvsNode(String kernel) {
        this(kernel, IpvsConntrack.NONE);
    }

    void sysctl(Sysctl s, int v) {
        e.ns().sysctls().set(s, v);
    }

    void run(String cmd) {
        Ipvsadm.Result r = adm.exec(cmd);
        assertThat(r.stderr()).as(cmd).isEmpty();
        assertThat(r.exitCode()).as(cmd).isZero();
    }

    /** The usual service: TCP VIP:80, rr, RS1 then RS2 added (so the list is RS2, RS1). */
    IpvsNode withTwoServers() {
        run("ipvsadm -A -t " + VIP + ":80 -s rr");
        run("ipvsadm -a -t " + VIP + ":80 -r " + RS1 + ":8080 -m -w 1");
        run("ipvsadm -a -t " + VIP + ":80 -r " + RS2 + ":8080 -m -w 1");
        return this;
    }

    /** A client segment to VIP:80; returns what left the node. */
    List<EmbeddedNetns.Sent> client(int cport, int flags) {
        e.receive(e.tcp(CLIENT, cport, VIP, 80, flags), "cli0");
        return e.readOutbound();
    }

    /** A real-server segment to the client; returns what left the node. */
    List<EmbeddedNetns.Sent> server(String rs, int cport, int flags) {
        e.receive(e.tcp(rs, 8080, CLIENT, cport, flags), rs.equals(RS1) ? "rs1" : "rs2");
        return e.readOutbound();
    }

    /** The device a SYN from the client left on ("rs1"/"rs2"), or "none". */
    String synGoesTo(int cport) {
        List<EmbeddedNetns.Sent> out = client(cport, TcpFlags.SYN);
        return out.isEmpty() ? "none" : out.get(0).device();
    }

    /**
     * A whole connection closed by the server first (as the oracle's name_server), ending in
     * TIME_WAIT; returns the real server that served it.
     */
    String closedConnection(int cport) {
        List<EmbeddedNetns.Sent> syn = client(cport, TcpFlags.SYN);
        assertThat(syn).hasSize(1);
        String rs = syn.get(0).device().equals("rs1") ? RS1 : RS2;
        server(rs, cport, TcpFlags.SYN | TcpFlags.ACK);
        client(cport, TcpFlags.ACK);
        server(rs, cport, TcpFlags.PSH | TcpFlags.ACK);
        client(cport, TcpFlags.ACK);
        server(rs, cport, TcpFlags.FIN | TcpFlags.ACK);
        client(cport, TcpFlags.FIN | TcpFlags.ACK);
        server(rs, cport, TcpFlags.ACK);
        return rs;
    }

    /** Verdict of the last {@code ipvs_in} call. */
    Verdict lastInVerdict() {
        List<HookTraced> h = e.trace().of(HookTraced.class);
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).function().equals("ipvs_in")) {
                return h.get(i).verdict();
            }
        }
        return null;
    }

    IpvsConn conn(int cport) {
        return ipvs.connection(6, Ip4.parse(CLIENT), cport, Ip4.parse(VIP), 80);
    }

    IpvsDest dest(String rs) {
        return ipvs.service(6, Ip4.parse(VIP), 80).dest(Ip4.parse(rs), 8080);
    }

    void seconds(double s) {
        e.runFor((long) (s * 1e9));
    }
}
