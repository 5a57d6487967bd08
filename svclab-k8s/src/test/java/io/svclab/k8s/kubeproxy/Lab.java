package io.svclab.k8s.kubeproxy;

import io.svclab.k8s.EndpointSlice;
import io.svclab.k8s.ServiceSpec;
import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetInterface;
import io.svclab.net.Packet;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsDest;

import java.util.ArrayList;
import java.util.List;

/**
 * A node under test: clients behind {@code cli0} (10.250.1.0/24), pods behind {@code pods}
 * (10.244.1.0/24), {@code kube-ipvs0}, node IP 10.250.0.1; Service {@code web} 10.96.0.10:80 →
 * 8080 (TCP) and {@code dns} 10.96.0.53:53 → 5353 (UDP).
 */
final class Lab {

    static final String CLIENT = "10.250.1.2";
    static final String POD_A = "10.244.1.2";
    static final String POD_B = "10.244.1.3";
    static final ServiceSpec WEB = new ServiceSpec("web", Ip4.parse("10.96.0.10"), 80, 8080, "TCP", "None");
    static final ServiceSpec DNS = new ServiceSpec("dns", Ip4.parse("10.96.0.53"), 53, 5353, "UDP", "None");

    final EmbeddedNetns e;
    final KubeProxy proxy;
    private long generation;

    Lab(String kernel, KubeProxy.Config config, List<ServiceSpec> services) {
        e = new EmbeddedNetns(kernel);
        e.device("cli0", "10.250.1.1", 24);
        e.device("pods", "10.244.1.1", 24);
        NetInterface dummy = e.ns().addDevice("kube-ipvs0", NetInterface.Kind.DUMMY);
        proxy = new KubeProxy(config, services, e.ns(), dummy, Ip4.parse("10.250.0.1"));
    }

    Lab(String kernel, KubeProxy.Config config) {
        this(kernel, config, List.of(WEB));
    }

    static EndpointSlice.Endpoint ready(String pod, String ip, int port) {
        return new EndpointSlice.Endpoint(pod, Ip4.parse(ip), port, true, true, false);
    }

    static EndpointSlice.Endpoint terminating(String pod, String ip, int port) {
        return new EndpointSlice.Endpoint(pod, Ip4.parse(ip), port, false, true, true);
    }

    /** Delivers a slice now. */
    void slice(String service, EndpointSlice.Endpoint... eps) {
        proxy.onSlice(new EndpointSlice(service, ++generation, List.of(eps)));
    }

    /** Delivers a slice at an absolute time (seconds). */
    void sliceAt(double seconds, String service, EndpointSlice.Endpoint... eps) {
        List<EndpointSlice.Endpoint> list = List.of(eps);
        e.sim().schedule(ns(seconds), 0, () -> proxy.onSlice(new EndpointSlice(service, ++generation, list)));
    }

    void runUntil(double seconds) {
        e.sim().runUntil(ns(seconds));
    }

    static long ns(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** A TCP segment from the client to web's ClusterIP; returns what left. */
    List<EmbeddedNetns.Sent> client(int cport, int flags) {
        e.receive(e.tcp(CLIENT, cport, "10.96.0.10", 80, flags), "cli0");
        return e.readOutbound();
    }

    /** A TCP segment from a pod to the client; returns what left. */
    List<EmbeddedNetns.Sent> pod(String podIp, int cport, int flags) {
        e.receive(e.tcp(podIp, 8080, CLIENT, cport, flags), "pods");
        return e.readOutbound();
    }

    /** A UDP datagram from the client to a ClusterIP; returns what left. */
    List<EmbeddedNetns.Sent> udp(int cport, String dst, int dport) {
        Packet p = e.packet();
        p.src = Ip4.parse(CLIENT);
        p.dst = Ip4.parse(dst);
        p.proto = IpProto.UDP;
        p.sport = cport;
        p.dport = dport;
        e.receive(p, "cli0");
        return e.readOutbound();
    }

    IpvsDest dest(String ip) {
        return Ipvs.of(e.ns()).service(IpProto.TCP, WEB.clusterIP(), 80).dest(Ip4.parse(ip), 8080);
    }

    /** Sync instants in milliseconds. */
    List<Long> syncMillis() {
        List<Long> out = new ArrayList<>();
        for (long t : proxy.syncTimes()) {
            out.add(t / 1_000_000);
        }
        return out;
    }
}
