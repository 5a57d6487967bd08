package io.svclab.net.kubeproxy;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.iptables.IptablesTables;
import io.svclab.net.nat.ManipType;
import io.svclab.net.nat.NatRange;
import io.svclab.net.nat.NatRuleTable;
import io.svclab.net.nat.NatService;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class KubeProxyIptablesTest {

    private static final KubeProxyIptables PROXIER = new KubeProxyIptables(KubeProxyIptables.Config.defaults("10.244.0.0/16"));

    static ServicePort web(ServicePort.Endpoint... eps) {
        return new ServicePort("default", "web", "http", "10.96.0.10", 80, 8080, "TCP", "None", List.of(eps));
    }

    static ServicePort threeEndpoints() {
        return web(ServicePort.Endpoint.ready("10.244.1.4", 8080), ServicePort.Endpoint.ready("10.244.1.2", 8080),
                ServicePort.Endpoint.ready("10.244.1.3", 8080));
    }

    @Test
    void chainNamesMatchKubeProxysHashes() {
        assertThat(KubeProxyNames.serviceChain("ns1/svc1:p80", "tcp")).isEqualTo("KUBE-SVC-XPGD46QRK7WJZT7O");
        assertThat(KubeProxyNames.endpointChain("ns1/svc1:p80", "tcp", "10.180.0.1:80")).isEqualTo("KUBE-SEP-SXIVWICOYRO3J4NJ");
    }

    @Test
    void threeEndpointServiceIsWrittenAsKubeProxyWritesIt() {
        assertThat(PROXIER.restoreText(List.of(threeEndpoints()))).isEqualTo(String.join("\n",
                "*filter",
                ":KUBE-SERVICES - [0:0]",
                ":KUBE-EXTERNAL-SERVICES - [0:0]",
                ":KUBE-FORWARD - [0:0]",
                ":KUBE-NODEPORTS - [0:0]",
                ":KUBE-PROXY-FIREWALL - [0:0]",
                "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "COMMIT",
                "*nat",
                ":KUBE-SERVICES - [0:0]",
                ":KUBE-NODEPORTS - [0:0]",
                ":KUBE-POSTROUTING - [0:0]",
                ":KUBE-MARK-MASQ - [0:0]",
                ":KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]",
                ":KUBE-SEP-UIQK3OSOSTRHRPBX - [0:0]",
                ":KUBE-SEP-2AZ33KU3V5PGPQZH - [0:0]",
                ":KUBE-SEP-LOQZ6LJZSXX5P3TW - [0:0]",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
                "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
                "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL",
                "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ",
                "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-UIQK3OSOSTRHRPBX",
                "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.1.3:8080\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-2AZ33KU3V5PGPQZH",
                "-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment \"default/web:http -> 10.244.1.4:8080\" -j KUBE-SEP-LOQZ6LJZSXX5P3TW",
                "-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ",
                "-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080",
                "-A KUBE-SEP-2AZ33KU3V5PGPQZH -m comment --comment default/web:http -s 10.244.1.3 -j KUBE-MARK-MASQ",
                "-A KUBE-SEP-2AZ33KU3V5PGPQZH -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:8080",
                "-A KUBE-SEP-LOQZ6LJZSXX5P3TW -m comment --comment default/web:http -s 10.244.1.4 -j KUBE-MARK-MASQ",
                "-A KUBE-SEP-LOQZ6LJZSXX5P3TW -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:8080",
                "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
                "COMMIT", ""));
    }

    @Test
    void serviceWithoutEndpointsGetsAFilterReject() {
        String text = PROXIER.restoreText(List.of(web()));

        assertThat(text).contains("-A KUBE-SERVICES -m comment --comment \"default/web:http has no endpoints\" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j REJECT\n")
                .doesNotContain("KUBE-SVC-");
    }

    @Test
    void theRejectRuleSavesAsIptablesSavePrintsIt() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        IptablesTables t = IptablesTables.install(e.ns());
        t.restore(PROXIER.restoreText(List.of(web())));
        t.restore(PROXIER.jumpRules());

        assertThat(t.save("filter")).contains(
                "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/web:http has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n");
    }

    @Test
    void jumpRulesEndInKubeProxysOrder() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        IptablesTables t = IptablesTables.install(e.ns());
        t.restore(PROXIER.restoreText(List.of()));
        t.restore(PROXIER.jumpRules());

        assertThat(t.save("filter")).contains(String.join("\n",
                "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL",
                "-A INPUT -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS",
                "-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL",
                "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES",
                "-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL",
                "-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES", ""));
    }

    @Test
    void laterSyncsKeepTheJumpRulesInTheBuiltinChains() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        IptablesTables t = IptablesTables.install(e.ns());
        t.restore(PROXIER.restoreText(List.of(threeEndpoints())));
        t.restore(PROXIER.jumpRules());
        t.restore(PROXIER.restoreText(List.of(web())));

        assertThat(t.save("nat")).contains(String.join("\n",
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING", ""))
                .doesNotContain("-A KUBE-SERVICES -d 10.96.0.10/32");
    }

    @Test
    void servingTerminatingEndpointsAreUsedOnlyWhenNoneIsReady() {
        ServicePort svc = web(new ServicePort.Endpoint("10.244.1.2", 8080, false, true, true),
                new ServicePort.Endpoint("10.244.1.3", 8080, false, false, true));

        assertThat(KubeProxyIptables.clusterEndpoints(svc, true)).extracting(ServicePort.Endpoint::ip).containsExactly("10.244.1.2");
        assertThat(KubeProxyIptables.clusterEndpoints(svc, false)).isEmpty();
    }

    @Test
    void staleChainsOfThePreviousSyncAreFlushedAndDeleted() {
        Set<String> before = PROXIER.natChains(List.of(threeEndpoints()));

        String text = PROXIER.restoreText(List.of(web(ServicePort.Endpoint.ready("10.244.1.2", 8080))), before);

        assertThat(text).contains(":KUBE-SEP-2AZ33KU3V5PGPQZH - [0:0]\n", "-X KUBE-SEP-2AZ33KU3V5PGPQZH\n",
                "-X KUBE-SEP-LOQZ6LJZSXX5P3TW\n").doesNotContain("-X KUBE-SEP-UIQK3OSOSTRHRPBX");
    }

    static ServicePort sticky() {
        return new ServicePort("default", "web", "http", "10.96.0.10", 80, 8080, "TCP", "ClientIP",
                List.of(ServicePort.Endpoint.ready("10.244.1.2", 8080), ServicePort.Endpoint.ready("10.244.1.3", 8080)), 60);
    }

    @Test
    void clientIpAffinityWritesRecentChecksBeforeTheCascadeAndRecentSetBeforeTheDnat() {
        String text = PROXIER.restoreText(List.of(sticky()));

        String svc = KubeProxyNames.serviceChain("default/web:http", "tcp");
        String sep = KubeProxyNames.endpointChain("default/web:http", "tcp", "10.244.1.2:8080");
        assertThat(text).contains(
                "-A " + svc + " -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m recent --name " + sep
                        + " --rcheck --seconds 60 --reap -j " + sep + "\n",
                "-A " + sep + " -m comment --comment default/web:http -m recent --name " + sep
                        + " --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080\n");
    }

    @Test
    void recentMatchesSaveInLibxtRecentsOrder() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        IptablesTables t = IptablesTables.install(e.ns());
        t.restore(PROXIER.restoreText(List.of(sticky())));

        String sep = KubeProxyNames.endpointChain("default/web:http", "tcp", "10.244.1.2:8080");
        assertThat(t.save("nat")).contains(" -m recent --rcheck --seconds 60 --reap --name " + sep
                + " --mask 255.255.255.255 --rsource -j " + sep + "\n");
    }

    @Test
    void clientIpAffinityKeepsAClientOnItsBackendUntilTheTimeout() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        NetNamespace ns = e.ns();
        CountingNat nat = new CountingNat();
        ns.attach(NatService.class, nat);
        IptablesTables t = IptablesTables.install(ns);
        t.restore(PROXIER.restoreText(List.of(sticky())));
        t.restore(PROXIER.jumpRules());
        for (int i = 0; i < 40; i++) {
            Packet p = e.tcp("10.244.2.5", 2000 + i, "10.96.0.10", 80, TcpFlags.SYN);
            p.nfct = new Object();
            p.ctinfo = CtInfo.NEW;
            nat.table.run(p, ns, Hook.PREROUTING);
            e.runFor(1_000_000_000L);
        }

        assertThat(nat.hits).hasSize(1);
        assertThat(nat.hits.values()).containsExactly(40);
        assertThat(t.recentList(nat.hits.keySet().iterator().next().equals("10.244.1.2")
                ? KubeProxyNames.endpointChain("default/web:http", "tcp", "10.244.1.2:8080")
                : KubeProxyNames.endpointChain("default/web:http", "tcp", "10.244.1.3:8080"))).containsExactly("10.244.2.5");
    }

    /** Records which backend each new connection was sent to. */
    static final class CountingNat implements NatService {
        final Map<String, Integer> hits = new TreeMap<>();
        NatRuleTable table;

        @Override
        public Verdict setupInfo(Packet p, NatRange range, ManipType manip) {
            if (manip == ManipType.DST) {
                hits.merge(Ip4.format(range.minAddr()), 1, Integer::sum);
            }
            return Verdict.ACCEPT;
        }

        @Override
        public void setRuleTable(NatRuleTable table) {
            this.table = table;
        }
    }

    @Test
    void statisticCascadeSpreadsThirtyThousandConnectionsEvenly() throws Exception {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        NetNamespace ns = e.ns();
        CountingNat nat = new CountingNat();
        ns.attach(NatService.class, nat);
        IptablesTables t = IptablesTables.install(ns);
        t.restore(PROXIER.restoreText(List.of(threeEndpoints())));
        t.restore(PROXIER.jumpRules());
        int n = 30000;
        for (int i = 0; i < n; i++) {
            Packet p = e.tcp("10.244.2.5", 1024 + (i % 60000), "10.96.0.10", 80, TcpFlags.SYN);
            p.nfct = new Object();
            p.ctinfo = CtInfo.NEW;
            nat.table.run(p, ns, Hook.PREROUTING);
            e.network().pool().release(p);
        }

        // binomial(30000, 1/3): sd = 81.6; 5 sd either side
        double sd = Math.sqrt(n * (1.0 / 3) * (2.0 / 3));
        assertThat(nat.hits.keySet()).containsExactly("10.244.1.2", "10.244.1.3", "10.244.1.4");
        assertThat(nat.hits.values()).allSatisfy(c -> assertThat((double) c).isBetween(n / 3.0 - 5 * sd, n / 3.0 + 5 * sd));
        assertThat(nat.hits.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
    }
}
