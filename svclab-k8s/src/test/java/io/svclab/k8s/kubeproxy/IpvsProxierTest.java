package io.svclab.k8s.kubeproxy;

import io.svclab.k8s.ServiceSpec;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.TcpFlags;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsDest;
import io.svclab.net.ipvs.IpvsFormat;
import io.svclab.net.ipvs.IpvsNfct;
import io.svclab.net.ipvs.IpvsService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IpvsProxierTest {

    private static final String HEAD = "IP Virtual Server version 1.2.1 (size=4096)\n"
            + "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
    private static final String WEB = "TCP  10.96.0.10:80 rr\n";
    private static final String A_IDLE = "  -> 10.244.1.2:8080              Masq    1      0          0         \n";
    private static final String B_IDLE = "  -> 10.244.1.3:8080              Masq    1      0          0         \n";

    private static Lab ipvs(String version, List<ServiceSpec> services) {
        return new Lab("6.1", KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, version), services);
    }

    private static String list(Lab lab) {
        return IpvsFormat.list(Ipvs.of(lab.e.ns()));
    }

    /** An established connection from client port 40000, served by pod B (rr picks the list head). */
    private static void establishedToB(Lab lab) {
        assertThat(lab.client(40000, TcpFlags.SYN)).extracting(s -> s.line())
                .containsExactly("10.250.1.2:40000 > 10.244.1.3:8080 tcp [S] seq 0 len 0");
        lab.pod(Lab.POD_B, 40000, TcpFlags.SYN | TcpFlags.ACK);
        lab.client(40000, TcpFlags.ACK);
    }

    @Test
    void virtualServerPerClusterIpPortWithSchedulerPersistenceAndMasqRealServers() {
        ServiceSpec sticky = new ServiceSpec("sticky", Ip4.parse("10.96.0.20"), 443, 8443, "TCP", "ClientIP");
        Lab lab = ipvs("1.28", List.of(Lab.WEB, Lab.DNS, sticky));
        lab.proxy.start();
        assertThat(lab.e.ns().isLocal(Ip4.parse("10.96.0.10"))).isTrue();
        assertThat(lab.e.ns().isLocal(Ip4.parse("10.96.0.53"))).isTrue();
        assertThat(lab.e.ns().isLocal(Ip4.parse("10.96.0.20"))).isTrue();
        assertThat(list(lab)).isEqualTo(HEAD + WEB
                + "TCP  10.96.0.20:443 rr persistent 10800\n"
                + "UDP  10.96.0.53:53 rr\n");
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        lab.slice("dns", Lab.ready("a", Lab.POD_A, 5353));
        lab.slice("sticky", Lab.ready("b", Lab.POD_B, 8443));
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE + B_IDLE
                + "TCP  10.96.0.20:443 rr persistent 10800\n"
                + "  -> 10.244.1.3:8443              Masq    1      0          0         \n"
                + "UDP  10.96.0.53:53 rr\n"
                + "  -> 10.244.1.2:5353              Masq    1      0          0         \n");
    }

    @Test
    void realServersAreAddedInSortedOrderSoTheKernelListIsReversed() {
        Lab lab = ipvs("1.28", List.of(Lab.WEB));
        lab.proxy.start();
        lab.slice("web", Lab.ready("b", Lab.POD_B, 8080), Lab.ready("a", Lab.POD_A, 8080));
        IpvsService vs = Ipvs.of(lab.e.ns()).service(IpProto.TCP, Lab.WEB.clusterIP(), 80);
        assertThat(vs.dests()).extracting(IpvsDest::toString)
                .containsExactly("10.244.1.3:8080 w1", "10.244.1.2:8080 w1");
    }

    @Test
    void schedulerFromConfig() {
        Lab lab = new Lab("6.1", KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, "1.28").withScheduler("wlc"));
        lab.proxy.start();
        assertThat(list(lab)).isEqualTo(HEAD + "TCP  10.96.0.10:80 wlc\n");
    }

    @Test
    void removedRealServerGetsWeight0ThenIsDeletedAtTheFirst60sCheckAfterItsCountersReach0() {
        Lab lab = ipvs("1.28", List.of(Lab.WEB));
        lab.proxy.start();
        lab.sliceAt(1, "web", Lab.ready("a", Lab.POD_A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        lab.runUntil(2);
        establishedToB(lab);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE
                + "  -> 10.244.1.3:8080              Masq    1      1          0         \n");

        lab.sliceAt(10, "web", Lab.ready("a", Lab.POD_A, 8080), Lab.terminating("b", Lab.POD_B, 8080));
        lab.runUntil(10);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE
                + "  -> 10.244.1.3:8080              Masq    0      1          0         \n");
        assertThat(lab.proxy.gracefulTermination().terminationList()).containsExactly("TCP/10.96.0.10:80/10.244.1.3:8080");

        // the check at 60 s finds ActiveConn 1; the server closes at 70 s: TIME_WAIT (120 s) keeps InActConn 1
        lab.runUntil(70);
        lab.pod(Lab.POD_B, 40000, TcpFlags.FIN | TcpFlags.ACK);
        lab.client(40000, TcpFlags.FIN | TcpFlags.ACK);
        lab.pod(Lab.POD_B, 40000, TcpFlags.ACK);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE
                + "  -> 10.244.1.3:8080              Masq    0      0          1         \n");
        lab.runUntil(180);
        assertThat(lab.dest(Lab.POD_B)).hasToString("10.244.1.3:8080 w0");
        lab.runUntil(200);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE
                + "  -> 10.244.1.3:8080              Masq    0      0          0         \n");
        lab.runUntil(239.999);
        assertThat(lab.dest(Lab.POD_B)).hasToString("10.244.1.3:8080 w0");
        lab.runUntil(240);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE);
        assertThat(lab.proxy.gracefulTermination().terminationList()).isEmpty();
        assertThat(lab.proxy.gracefulTermination().deletions()).isEqualTo(1);
    }

    @Test
    void idleRealServerIsDeletedAtOnce() {
        Lab lab = ipvs("1.28", List.of(Lab.WEB));
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080));
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE);
        assertThat(lab.proxy.gracefulTermination().terminationList()).isEmpty();
    }

    @Test
    void udpRealServerIsDeletedAtOnceEvenWithConnections() {
        Lab lab = ipvs("1.28", List.of(Lab.DNS));
        lab.proxy.start();
        lab.slice("dns", Lab.ready("a", Lab.POD_A, 5353), Lab.ready("b", Lab.POD_B, 5353));
        assertThat(lab.udp(50000, "10.96.0.53", 53)).extracting(s -> s.line())
                .containsExactly("10.250.1.2:50000 > 10.244.1.3:5353 udp len 0");
        IpvsService vs = Ipvs.of(lab.e.ns()).service(IpProto.UDP, Lab.DNS.clusterIP(), 53);
        assertThat(vs.dest(Ip4.parse(Lab.POD_B), 5353).inactConns()).isEqualTo(1);
        lab.slice("dns", Lab.ready("a", Lab.POD_A, 5353));
        assertThat(list(lab)).isEqualTo(HEAD + "UDP  10.96.0.53:53 rr\n"
                + "  -> 10.244.1.2:5353              Masq    1      0          0         \n");
        assertThat(lab.proxy.gracefulTermination().terminationList()).isEmpty();
    }

    @Test
    void realServerThatComesBackIsDeletedAndAddedAgainWithWeight1() {
        Lab lab = ipvs("1.28", List.of(Lab.WEB));
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        establishedToB(lab);
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080));
        assertThat(lab.dest(Lab.POD_B)).hasToString("10.244.1.3:8080 w0");
        IpvsDest before = lab.dest(Lab.POD_B);
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.ready("b", Lab.POD_B, 8080));
        assertThat(lab.dest(Lab.POD_B)).hasToString("10.244.1.3:8080 w1");
        assertThat(lab.proxy.gracefulTermination().terminationList()).isEmpty();
        assertThat(lab.proxy.gracefulTermination().deletions()).isEqualTo(1);
        // the kernel revives the deleted destination from its trash, connection counters included
        assertThat(lab.dest(Lab.POD_B)).isSameAs(before);
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE
                + "  -> 10.244.1.3:8080              Masq    1      1          0         \n");
        // added again: at the head of the kernel's list
        assertThat(Ipvs.of(lab.e.ns()).service(IpProto.TCP, Lab.WEB.clusterIP(), 80).dests())
                .extracting(IpvsDest::toString).containsExactly("10.244.1.3:8080 w1", "10.244.1.2:8080 w1");
    }

    @Test
    void servingTerminatingEndpointsAreTheFallbackFrom126Only() {
        Lab v128 = ipvs("1.28", List.of(Lab.WEB));
        v128.proxy.start();
        v128.slice("web", Lab.terminating("a", Lab.POD_A, 8080), Lab.terminating("b", Lab.POD_B, 8080));
        assertThat(list(v128)).isEqualTo(HEAD + WEB + A_IDLE + B_IDLE);

        Lab v125 = ipvs("1.25", List.of(Lab.WEB));
        v125.proxy.start();
        v125.slice("web", Lab.terminating("a", Lab.POD_A, 8080), Lab.terminating("b", Lab.POD_B, 8080));
        assertThat(list(v125)).isEqualTo(HEAD + WEB);
    }

    @Test
    void initialSyncResetsTheWeightOfExistingRealServersTo1() throws Exception {
        Lab lab = ipvs("1.28", List.of(Lab.WEB));
        Ipvs ipvs = Ipvs.install(lab.e.ns(), IpvsNfct.of(lab.e.ns()));
        IpvsService vs = ipvs.addService(IpProto.TCP, Lab.WEB.clusterIP(), 80, "rr", 0, 0, 0xffffffff);
        ipvs.addDest(vs, Ip4.parse(Lab.POD_A), 8080, IpvsDest.FWD_MASQ, 0, 0, 0);
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080));
        lab.proxy.start();
        assertThat(list(lab)).isEqualTo(HEAD + WEB + A_IDLE);
    }
}
