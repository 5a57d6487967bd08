package io.svclab.scenario;

import io.svclab.net.Ip4;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.svclab.kernel.Sysctl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContractExampleTest {

    private static Scenario s;

    @BeforeAll
    static void load() throws URISyntaxException {
        Path file = Path.of(ContractExampleTest.class.getResource("/scenario/contract-example.yaml").toURI());
        s = ScenarioLoader.load(file, List.of());
    }

    @Test
    void topLevelValues() {
        assertThat(s.name()).isEqualTo("rolling-update-ipvs");
        assertThat(s.seed()).isEqualTo(1L);
        assertThat(s.durationNs()).isEqualTo(300_000_000_000L);
        assertThat(s.kernel()).isEqualTo("4.19");
        assertThat(s.kernelProfile().name()).isEqualTo("4.19");
        assertThat(s.source()).endsWith("contract-example.yaml");
    }

    @Test
    void proxy() {
        assertThat(s.proxy()).isEqualTo(new Proxy(ProxyMode.IPVS, "1.21", IpvsScheduler.RR, 30_000_000_000L, 1_000_000_000L, 100_000_000L));
    }

    @Test
    void nodeSysctls() {
        assertThat(s.sysctl()).containsExactly(
                Map.entry(Sysctl.NET_IPV4_TCP_TW_REUSE, 2L), Map.entry(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 0L));
    }

    @Test
    void service() {
        assertThat(s.services()).containsExactly(new Service("backend", Ip4.parse("10.96.0.10"), 80, 8080,
                Protocol.TCP, SessionAffinity.NONE, 10_800_000_000_000L));
    }

    @Test
    void deployment() {
        Deployment d = s.deployments().get(0);
        assertThat(d.name()).isEqualTo("backend");
        assertThat(d.service()).isEqualTo("backend");
        assertThat(d.replicas()).isEqualTo(3);
        assertThat(d.podIPs()).containsExactly(Ip4.parse("10.244.1.3"), Ip4.parse("10.244.2.5"));
        assertThat(d.strategy()).isEqualTo(new Strategy(new IntOrPercent(1, false), new IntOrPercent(0, false)));
        assertThat(d.pod()).isEqualTo(new PodSpec(2_000_000_000L, 1_000_000_000L, 0, 30_000_000_000L,
                OnSigterm.EXIT, Closer.CLIENT, OnClientClose.CLOSE, new TreeMap<>()));
    }

    @Test
    void client() {
        Client c = s.clients().get(0);
        assertThat(c).isEqualTo(new Client("caller", 1, "backend", 500.0, Arrivals.POISSON, 0, Pattern.SHORT, 10,
                90_000_000_000L, 2_000_000L, 3_000_000_000L, new TreeMap<>(Map.of(Sysctl.NET_IPV4_TCP_TW_REUSE, 1L))));
    }

    @Test
    void events() {
        String f = s.source();
        assertThat(s.events()).containsExactly(
                new Event.Rollout(60_000_000_000L, "backend", new SourcePos(f, 56, 14)),
                new Event.Scale(200_000_000_000L, "backend", 5, new SourcePos(f, 58, 12)));
    }

    @Test
    void steps() {
        String f = s.source();
        assertThat(s.steps()).containsExactly(
                new Step.Connect("caller", 40000, 0, CloseKind.FIN, new SourcePos(f, 60, 14)),
                new Step.Connect("caller", 40001, 600_000_000_000L, CloseKind.RST, new SourcePos(f, 61, 14)),
                new Step.Ipvsadm("-e -t 10.96.0.10:80 -r 10.244.1.3:8080 -m -w 0", new SourcePos(f, 62, 14)),
                new Step.Wait(200_000_000L, new SourcePos(f, 63, 11)),
                new Step.Connect("caller", 40000, 0, CloseKind.FIN, new SourcePos(f, 64, 14)),
                new Step.IptablesRestore("*nat\nCOMMIT\n", new SourcePos(f, 65, 23)),
                new Step.Nft("flush ruleset\n", new SourcePos(f, 68, 10)),
                new Step.SysctlStep(new TreeMap<>(Map.of(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 1L)), new SourcePos(f, 70, 13)),
                new Step.DeletePod("backend-0", new SourcePos(f, 71, 16)),
                new Step.Vanish("caller", 40000, new SourcePos(f, 72, 13)),
                new Step.Conntrack("-D -p tcp --orig-port-src 40000", new SourcePos(f, 73, 16)),
                new Step.Dump(List.of(DumpKind.CONNTRACK, DumpKind.IPVS, DumpKind.IPVS_CONN), new SourcePos(f, 74, 11)));
    }
}
