package io.svclab.k8s.kubeproxy;

import io.svclab.k8s.ClusterNetwork;
import io.svclab.kernel.KernelProfiles;
import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.Network;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsFormat;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterNodeTest {

    private static ClusterNetwork cluster(String kernel) {
        return new ClusterNetwork(new Network(new Simulation(1), KernelProfiles.get(kernel), Trace.NONE), 2,
                10_000, 100_000);
    }

    @Test
    void ipvsModeBindsClusterIpsOnKubeIpvs0OfItsOwnNodeOnly() {
        ClusterNetwork c = cluster("5.4");
        KubeProxy kp = new KubeProxy(KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, "1.24"), List.of(Lab.WEB, Lab.DNS),
                c.node(1));
        kp.start();
        assertThat(c.node(1).ipvsDummy().addresses()).extracting(a -> Ip4.format(a[0]) + "/" + a[1])
                .containsExactly("10.96.0.10/32", "10.96.0.53/32");
        assertThat(IpvsFormat.list(Ipvs.of(c.node(1).namespace()))).endsWith(
                "TCP  10.96.0.10:80 rr\nUDP  10.96.0.53:53 rr\n");
        assertThat(c.node(1).namespace().sysctls().get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE)).isEqualTo(0);
        assertThat(c.node(2).ipvsDummy().addresses()).isEmpty();
        assertThat(Ipvs.of(c.node(2).namespace())).isNull();
    }

    @Test
    void startingTwiceIsRefused() {
        ClusterNetwork c = cluster("6.1");
        KubeProxy kp = new KubeProxy(KubeProxy.Config.defaults(KubeProxy.Mode.IPTABLES, "1.28"), List.of(Lab.WEB),
                c.node(1));
        kp.start();
        assertThatThrownBy(kp::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nftablesModeNeedsKernel513And129() {
        assertThatThrownBy(() -> KubeProxy.Config.defaults(KubeProxy.Mode.NFTABLES, "1.28"))
                .hasMessage("kube-proxy nftables mode exists from 1.29, got 1.28");
        ClusterNetwork c = cluster("5.10");
        KubeProxy kp = new KubeProxy(KubeProxy.Config.defaults(KubeProxy.Mode.NFTABLES, "1.31"), List.of(Lab.WEB),
                c.node(1));
        assertThatThrownBy(kp::start).hasMessage("kube-proxy nftables mode needs kernel 5.13 or later, node runs 5.10");
    }
}
