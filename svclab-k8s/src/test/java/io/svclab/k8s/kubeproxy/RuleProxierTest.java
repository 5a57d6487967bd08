package io.svclab.k8s.kubeproxy;

import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.nftables.NftablesRuleset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleProxierTest {

    private static final String SEP_A = "KUBE-SEP-PXJ2U7QYT2QW5545";
    private static final String SEP_DNS_A = "KUBE-SEP-VSN775UTMFOV4XIG";

    private static Lab iptables(String version) {
        return new Lab("6.1", KubeProxy.Config.defaults(KubeProxy.Mode.IPTABLES, version), List.of(Lab.WEB, Lab.DNS));
    }

    private static String nat(Lab lab) {
        return lab.e.ns().attachment(IptablesTables.class).save("nat");
    }

    @Test
    void iptablesSyncWritesKubeSepForReadyEndpointsOnly() {
        Lab lab = iptables("1.28");
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.terminating("b", Lab.POD_B, 8080));
        lab.slice("dns", Lab.ready("a", Lab.POD_A, 5353));
        String nat = nat(lab);
        assertThat(nat).contains(
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n",
                "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G\n",
                "-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment \"default/web -> 10.244.1.2:8080\" -j " + SEP_A + "\n",
                "-A " + SEP_A + " -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.2:8080\n",
                "-A " + SEP_DNS_A + " -p udp -m comment --comment \"default/dns\" -m udp -j DNAT --to-destination 10.244.1.2:5353\n");
        assertThat(nat).doesNotContain("10.244.1.3");
        assertThat(nat.lines().filter(l -> l.startsWith(":KUBE-SEP-"))).containsExactly(
                ":" + SEP_A + " - [0:0]", ":" + SEP_DNS_A + " - [0:0]");
    }

    @Test
    void anEndpointThatLeavesTakesItsChainWithItAtTheNextSync() {
        Lab lab = iptables("1.28");
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080));
        assertThat(nat(lab)).contains(":" + SEP_A + " - [0:0]");
        lab.slice("web", Lab.ready("b", Lab.POD_B, 8080));
        assertThat(nat(lab)).doesNotContain(SEP_A).contains("DNAT --to-destination 10.244.1.3:8080");
    }

    @Test
    void onlyTerminatingEndpointsAreUsedFrom126AndRejectedBefore() {
        Lab v128 = iptables("1.28");
        v128.proxy.start();
        v128.slice("web", Lab.terminating("a", Lab.POD_A, 8080));
        assertThat(nat(v128)).contains("DNAT --to-destination 10.244.1.2:8080");

        Lab v125 = iptables("1.25");
        v125.proxy.start();
        v125.slice("web", Lab.terminating("a", Lab.POD_A, 8080));
        assertThat(nat(v125)).doesNotContain("10.244.1.2");
        assertThat(v125.e.ns().attachment(IptablesTables.class).save("filter")).contains(
                "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/web has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n");
    }

    @Test
    void nftablesSyncWritesEndpointChainsForReadyEndpointsOnly() {
        Lab lab = new Lab("6.1", KubeProxy.Config.defaults(KubeProxy.Mode.NFTABLES, "1.31"));
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080), Lab.terminating("b", Lab.POD_B, 8080));
        assertThat(lab.e.ns().attachment(NftablesRuleset.class).chains("kube-proxy"))
                .contains("service-PFISGYVC-default/web/tcp/", "endpoint-X665QFQS-default/web/tcp/__10.244.1.2/8080")
                .noneMatch(c -> c.contains("10.244.1.3"));
        lab.slice("web", Lab.ready("b", Lab.POD_B, 8080));
        assertThat(lab.e.ns().attachment(NftablesRuleset.class).chains("kube-proxy"))
                .filteredOn(c -> c.startsWith("endpoint-")).hasSize(1).allMatch(c -> c.endsWith("__10.244.1.3/8080"));
    }

    @Test
    void staleUdpConntrackEntriesAreDeletedAfterTheSyncTcpOnesNever() {
        Lab lab = iptables("1.28");
        lab.e.ns().sysctls().set(Sysctl.NET_IPV4_IP_FORWARD, 1);
        lab.proxy.start();
        lab.slice("web", Lab.ready("a", Lab.POD_A, 8080));
        lab.slice("dns", Lab.ready("a", Lab.POD_A, 5353));
        // from outside the cluster CIDR: masqueraded to the node's pod-side address
        assertThat(lab.udp(50000, "10.96.0.53", 53)).extracting(s -> s.line())
                .containsExactly("10.244.1.1:34584 > 10.244.1.2:5353 udp len 0");
        assertThat(lab.client(40000, TcpFlags.SYN)).extracting(s -> Ip4.endpoint(s.dst(), s.dport()))
                .containsExactly("10.244.1.2:8080");
        ConntrackTable ct = lab.e.ns().attachment(ConntrackTable.class);
        assertThat(ct.entries()).extracting(c -> c.proto).containsExactlyInAnyOrder(IpProto.UDP, IpProto.TCP);

        lab.slice("web", Lab.ready("b", Lab.POD_B, 8080));
        lab.slice("dns", Lab.ready("b", Lab.POD_B, 5353));
        // the burst of two syncs went to the first slices: these two wait for the runner (1 s)
        assertThat(ct.entries()).hasSize(2);
        assertThat(lab.proxy.runner().nextRunAt()).isEqualTo(1_000_000_000L);
        lab.runUntil(1);
        // the TCP entry to the departed pod A stays
        assertThat(ct.entries()).extracting(c -> c.proto + " " + Ip4.endpoint(c.replySrc(), c.replySport()))
                .containsExactly(IpProto.TCP + " 10.244.1.2:8080");
        assertThat(lab.proxy.udpEntriesDeleted()).isEqualTo(1);
    }
}
