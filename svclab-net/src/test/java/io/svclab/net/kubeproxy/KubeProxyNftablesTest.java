package io.svclab.net.kubeproxy;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import io.svclab.net.nftables.NftablesRuleset;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KubeProxyNftablesTest {

    private static final KubeProxyNftables PROXIER = new KubeProxyNftables(
            KubeProxyIptables.Config.defaults("10.244.0.0/16"), "10.96.0.0/16", List.of("192.168.0.2"));

    private final EmbeddedNetns e = new EmbeddedNetns("6.12");
    private final KubeProxyIptablesTest.CountingNat nat = new KubeProxyIptablesTest.CountingNat();
    private final NftablesRuleset nft;

    KubeProxyNftablesTest() {
        e.device("eth0", "10.244.2.1", 24);
        e.ns().attach(NatService.class, nat);
        nft = NftablesRuleset.install(e.ns());
    }

    private Packet syn(int sport, String dst) {
        Packet p = e.tcp("10.244.2.5", sport, dst, 80, TcpFlags.SYN);
        p.nfct = new Object();
        p.ctinfo = CtInfo.NEW;
        return p;
    }

    @Test
    void affinitySetNameMatchesKubeProxysFixture() {
        ServicePort svc = new ServicePort("ns5", "svc5", "p80", "172.30.0.45", 80, 80, "TCP", "ClientIP", List.of());

        assertThat(KubeProxyNftables.affinitySet(svc, "10.180.0.3", 80))
                .isEqualTo("affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80");
    }

    @Test
    void clientIpAffinityKeepsAClientOnItsBackendUntilTheTimeout() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.sticky())));
        for (int i = 0; i < 40; i++) {
            Packet p = syn(2000 + i, "10.96.0.10");
            nat.table.run(p, e.ns(), Hook.PREROUTING);
            e.runFor(1_000_000_000L);
        }

        assertThat(nat.hits).hasSize(1);
        assertThat(nat.hits.values()).containsExactly(40);
    }

    @Test
    void aSecondSyncDeletesTheAffinitySetOfARemovedEndpoint() throws Exception {
        List<ServicePort> before = List.of(KubeProxyIptablesTest.sticky());
        nft.apply(PROXIER.transaction(before));
        ServicePort one = new ServicePort("default", "web", "http", "10.96.0.10", 80, 8080, "TCP", "ClientIP",
                List.of(ServicePort.Endpoint.ready("10.244.1.2", 8080)), 60);

        nft.apply(PROXIER.transaction(List.of(one), PROXIER.serviceChains(before)));

        assertThat(nft.elementCount("kube-proxy", KubeProxyNftables.affinitySet(one, "10.244.1.3", 8080))).isEqualTo(-1);
        assertThat(nft.elementCount("kube-proxy", KubeProxyNftables.affinitySet(one, "10.244.1.2", 8080))).isEqualTo(0);
    }

    @Test
    void clientIpAffinityIsForgottenAfterTheTimeout() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.sticky())));
        for (int i = 0; i < 40; i++) {
            Packet p = syn(2000 + i, "10.96.0.10");
            nat.table.run(p, e.ns(), Hook.PREROUTING);
            e.runFor(61_000_000_000L);
        }

        assertThat(nat.hits).hasSize(2);
    }

    @Test
    void chainNamesMatchKubeProxysNftablesFixtures() {
        ServicePort svc = new ServicePort("ns1", "svc1", "p80", "172.30.0.41", 80, 80, "TCP", "None", List.of());

        assertThat(KubeProxyNftables.serviceChain(svc)).isEqualTo("service-ULMVA6XW-ns1/svc1/tcp/p80");
        assertThat(KubeProxyNftables.endpointChain(svc, "10.180.0.1", 80))
                .isEqualTo("endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80");
    }

    @Test
    void serviceRulesAreWrittenAsKubeProxyWritesThem() {
        String text = PROXIER.transaction(List.of(KubeProxyIptablesTest.threeEndpoints()));

        String svc = KubeProxyNftables.serviceChain(KubeProxyIptablesTest.threeEndpoints());
        assertThat(svc).isEqualTo("service-SUSTUHLJ-default/web/tcp/http");
        assertThat(text).contains(String.join("\n",
                "add chain ip kube-proxy service-SUSTUHLJ-default/web/tcp/http",
                "flush chain ip kube-proxy service-SUSTUHLJ-default/web/tcp/http",
                "add chain ip kube-proxy endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080",
                "flush chain ip kube-proxy endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080",
                "add chain ip kube-proxy endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080",
                "flush chain ip kube-proxy endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080",
                "add chain ip kube-proxy endpoint-S6J4REDL-default/web/tcp/http__10.244.1.4/8080",
                "flush chain ip kube-proxy endpoint-S6J4REDL-default/web/tcp/http__10.244.1.4/8080",
                "add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
                "add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http numgen random mod 3 vmap { "
                        + "0 : goto endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080 , "
                        + "1 : goto endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080 , "
                        + "2 : goto endpoint-S6J4REDL-default/web/tcp/http__10.244.1.4/8080 }",
                "add rule ip kube-proxy endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080 ip saddr 10.244.1.2 jump mark-for-masquerade",
                "add rule ip kube-proxy endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080 meta l4proto tcp dnat to 10.244.1.2:8080", ""),
                "add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http }\n");
    }

    @Test
    void theTransactionLoadsAndRegistersKubeProxysBaseChains() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.threeEndpoints())));

        assertThat(e.ns().hooks(Hook.FORWARD).names()).containsExactly("nft/kube-proxy/filter-forward");
        assertThat(e.ns().hooks(Hook.OUTPUT).entries()).extracting(h -> h.name() + " " + h.priority())
                .containsExactly("nft/kube-proxy/filter-output-pre-dnat -110", "nft/kube-proxy/filter-output 0");
        assertThat(nft.elementCount("kube-proxy", "service-ips")).isEqualTo(1);
    }

    @Test
    void numgenSpreadsThirtyThousandConnectionsEvenly() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.threeEndpoints())));
        int n = 30000;
        for (int i = 0; i < n; i++) {
            Packet p = syn(1024 + (i % 60000), "10.96.0.10");
            nat.table.run(p, e.ns(), Hook.PREROUTING);
            e.network().pool().release(p);
        }

        double sd = Math.sqrt(n * (1.0 / 3) * (2.0 / 3));
        assertThat(nat.hits.keySet()).containsExactly("10.244.1.2", "10.244.1.3", "10.244.1.4");
        assertThat(nat.hits.values()).allSatisfy(c -> assertThat((double) c).isBetween(n / 3.0 - 5 * sd, n / 3.0 + 5 * sd));
    }

    @Test
    void serviceWithoutEndpointsIsRejectedInFilterForward() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.web())));

        Verdict v = e.ns().hooks(Hook.FORWARD).run(syn(40000, "10.96.0.10"), e.ns());

        assertThat(v).isEqualTo(Verdict.DROP);
        assertThat(e.readOutbound()).extracting(s -> s.line())
                .containsExactly("10.244.2.1 > 10.244.2.5 icmp port-unreachable for tcp 10.244.2.5:40000 > 10.96.0.10:80");
    }

    @Test
    void unallocatedClusterIpIsDroppedSilently() throws Exception {
        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.threeEndpoints())));

        Verdict v = e.ns().hooks(Hook.FORWARD).run(syn(40000, "10.96.0.99"), e.ns());

        assertThat(v).isEqualTo(Verdict.DROP);
        assertThat(e.readOutbound()).isEmpty();
    }

    @Test
    void aSecondSyncDeletesTheChainsOfARemovedEndpoint() throws Exception {
        List<ServicePort> three = List.of(KubeProxyIptablesTest.threeEndpoints());
        nft.apply(PROXIER.transaction(three));
        Set<String> before = PROXIER.serviceChains(three);

        nft.apply(PROXIER.transaction(List.of(KubeProxyIptablesTest.web(ServicePort.Endpoint.ready("10.244.1.2", 8080))), before));

        assertThat(nft.chains("kube-proxy")).filteredOn(c -> c.startsWith("endpoint-"))
                .containsExactly("endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080");
    }
}
