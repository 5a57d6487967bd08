package io.svclab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void emptyFileIsAllDefaults() {
        Scenario s = Yaml.load("");
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.seed()).isEqualTo(1L);
        assertThat(s.durationNs()).isEqualTo(60_000_000_000L);
        assertThat(s.kernel()).isEqualTo("6.12");
        assertThat(s.kernelFeatures()).isEmpty();
        assertThat(s.sysctl()).isEmpty();
        assertThat(s.services()).isEmpty();
        assertThat(s.steps()).isEmpty();
    }

    @Test
    void proxyAndNetworkDefaults() {
        Scenario s = Yaml.load("# nothing\n");
        assertThat(s.proxy()).isEqualTo(new Proxy(ProxyMode.IPTABLES, "1.33", IpvsScheduler.RR, 30_000_000_000L, -1L, 100_000_000L));
        assertThat(s.network()).isEqualTo(new Network(1, 50_000L, 200_000L, Cni.BRIDGE));
    }

    @Test
    void nameDefaultsToBuiltinName() {
        assertThat(ScenarioLoader.loadText("builtin:seed-incident", "", java.util.List.of()).name()).isEqualTo("seed-incident");
    }

    @Test
    void serviceDefaults() {
        Scenario s = Yaml.load("services: [{name: a, clusterIP: 10.96.0.1}]\n");
        assertThat(s.services().get(0)).isEqualTo(new Service("a", 0x0A600001, 80, 80, Protocol.TCP,
                SessionAffinity.NONE, 10_800_000_000_000L));
    }

    @Test
    void targetPortDefaultsToPort() {
        Scenario s = Yaml.load("services: [{name: a, clusterIP: 10.96.0.1, port: 8443}]\n");
        assertThat(s.services().get(0).targetPort()).isEqualTo(8443);
    }

    @Test
    void deploymentDefaults() {
        Scenario s = Yaml.load(Yaml.lines(
                "services: [{name: web, clusterIP: 10.96.0.1}]",
                "deployments: [{name: web}]"));
        Deployment d = s.deployments().get(0);
        assertThat(d.service()).isEqualTo("web");
        assertThat(d.replicas()).isEqualTo(1);
        assertThat(d.podIPs()).isEmpty();
        assertThat(d.strategy()).isEqualTo(new Strategy(new IntOrPercent(25, true), new IntOrPercent(25, true)));
        assertThat(d.pod()).isEqualTo(new PodSpec(2_000_000_000L, 1_000_000_000L, 0L, 30_000_000_000L,
                OnSigterm.EXIT, Closer.CLIENT, OnClientClose.CLOSE, new java.util.TreeMap<>()));
    }

    @Test
    void clientDefaults() {
        Scenario s = Yaml.load(Yaml.lines(
                "services: [{name: web, clusterIP: 10.96.0.1}]",
                "clients: [{name: c, target: web}]"));
        assertThat(s.clients().get(0)).isEqualTo(new Client("c", 1, "web", 100.0, Arrivals.POISSON, 0, Pattern.SHORT,
                10, 90_000_000_000L, 2_000_000L, 3_000_000_000L, new java.util.TreeMap<>()));
    }

    @Test
    void connectStepDefaults() {
        Scenario s = Yaml.load(Yaml.lines(
                "services: [{name: web, clusterIP: 10.96.0.1}]",
                "clients: [{name: c, target: web}]",
                "steps:",
                "  - connect: {client: c}"));
        assertThat(s.steps()).containsExactly(new Step.Connect("c", 0, 0L, CloseKind.FIN, new SourcePos("s.yaml", 4, 14)));
    }

    @Test
    void nullValuesTakeDefaults() {
        Scenario s = Yaml.load("seed:\nproxy:\nsysctl:\nservices:\n");
        assertThat(s.seed()).isEqualTo(1L);
        assertThat(s.proxy().mode()).isEqualTo(ProxyMode.IPTABLES);
    }

    @Test
    void percentStrategyResolvesLikeTheController() {
        assertThat(new IntOrPercent(25, true).resolve(3, true)).isEqualTo(1);
        assertThat(new IntOrPercent(25, true).resolve(3, false)).isZero();
        assertThat(new IntOrPercent(2, false).resolve(3, true)).isEqualTo(2);
    }
}
