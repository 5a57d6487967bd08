package io.svclab.scenario;

import io.svclab.net.Ip4;

import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.kernel.Sysctl;
import org.junit.jupiter.api.Test;

class SetOverridesTest {

    private static final String BASE = Yaml.lines(
            "services: [{name: web, clusterIP: 10.96.0.1}]",
            "deployments: [{name: web}]",
            "clients: [{name: c, target: web}]");

    @Test
    void setsScalarsWithTheirYamlTypes() {
        Scenario s = Yaml.load(BASE, "seed=7", "duration=2m", "proxy.mode=ipvs", "clients.0.connectionsPerSecond=800");
        assertThat(s.seed()).isEqualTo(7L);
        assertThat(s.durationNs()).isEqualTo(120_000_000_000L);
        assertThat(s.proxy().mode()).isEqualTo(ProxyMode.IPVS);
        assertThat(s.clients().get(0).connectionsPerSecond()).isEqualTo(800.0);
    }

    @Test
    void pooledClientAndServerKeepAliveBySet() {
        Scenario s = Yaml.load(BASE, "clients.0.pattern=pooled", "clients.0.poolSize=40", "clients.0.idleTimeout=30s",
                "deployments.0.pod.keepAliveTimeout=75s");
        Client c = s.clients().get(0);
        assertThat(c.pattern()).isEqualTo(Pattern.POOLED);
        assertThat(c.poolSize()).isEqualTo(40);
        assertThat(c.idleTimeoutNs()).isEqualTo(30_000_000_000L);
        assertThat(s.deployments().get(0).pod().keepAliveTimeoutNs()).isEqualTo(75_000_000_000L);
        // defaults: a pool of 10 closed after 90 s idle; a server that never closes an idle connection
        Scenario d = Yaml.load(BASE);
        assertThat(d.clients().get(0).poolSize()).isEqualTo(10);
        assertThat(d.clients().get(0).idleTimeoutNs()).isEqualTo(90_000_000_000L);
        assertThat(d.deployments().get(0).pod().keepAliveTimeoutNs()).isZero();
    }

    @Test
    void badPoolValuesAreLocated() {
        assertThat(Yaml.problems(BASE, "clients.0.pattern=pool", "clients.0.poolSize=0",
                "deployments.0.pod.keepAliveTimeout=soon")).containsExactly(
                "--set:1:19: clients[0].pattern: expected one of short, pooled, got \"pool\"",
                "--set:2:20: clients[0].poolSize: expected an integer in 1..1000000, got 0",
                "--set:3:36: deployments[0].pod.keepAliveTimeout: expected a duration like 200ms, 3s, 5m, got \"soon\"");
    }

    @Test
    void createsAMissingMapping() {
        Scenario s = Yaml.load("", "proxy.scheduler=wrr", "network.nodes=3");
        assertThat(s.proxy().scheduler()).isEqualTo(IpvsScheduler.WRR);
        assertThat(s.network().nodes()).isEqualTo(3);
    }

    @Test
    void createsNestedMappingsInAListItem() {
        Scenario s = Yaml.load(BASE, "deployments.0.pod.onSigterm=drain");
        assertThat(s.deployments().get(0).pod().onSigterm()).isEqualTo(OnSigterm.DRAIN);
    }

    @Test
    void sysctlKeyKeepsItsDots() {
        Scenario s = Yaml.load(BASE, "sysctl.net.ipv4.vs.conn_reuse_mode=0", "clients.0.sysctl.net.ipv4.tcp_tw_reuse=1",
                "deployments.0.pod.sysctl.net.ipv4.tcp_timestamps=0");
        assertThat(s.sysctl()).containsEntry(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 0L);
        assertThat(s.clients().get(0).sysctl()).containsEntry(Sysctl.NET_IPV4_TCP_TW_REUSE, 1L);
        assertThat(s.deployments().get(0).pod().sysctl()).containsEntry(Sysctl.NET_IPV4_TCP_TIMESTAMPS, 0L);
    }

    @Test
    void replacesAnExistingSysctl() {
        Scenario s = Yaml.load("sysctl:\n  net.ipv4.vs.conn_reuse_mode: 0\n", "sysctl.net.ipv4.vs.conn_reuse_mode=1");
        assertThat(s.sysctl()).containsEntry(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 1L);
    }

    @Test
    void kernelFeatureSwitch() {
        Scenario s = Yaml.load("kernel: \"4.19\"\n", "kernelFeatures.TCP_SYN_LINEAR_TIMEOUTS=true");
        assertThat(s.kernelProfile().has(io.svclab.kernel.KernelFeature.TCP_SYN_LINEAR_TIMEOUTS)).isTrue();
    }

    @Test
    void unknownKey() {
        assertThat(Yaml.problems("", "proxy.noSuchKey=1")).containsExactly(
                "--set:1:1: proxy.noSuchKey: unknown field (known: mode, version, scheduler, syncPeriod, minSyncPeriod, watchDelay)");
    }

    @Test
    void pathIntoAScalar() {
        assertThat(Yaml.problems("", "seed.x=1")).containsExactly("--set:1:1: seed.x: unknown field (seed is a single value)");
    }

    @Test
    void indexPastTheEnd() {
        assertThat(Yaml.problems(BASE, "clients.1.replicas=2"))
                .containsExactly("--set:1:1: clients.1: index 1 is past the end of the list (1 item)");
    }

    @Test
    void indexNotANumber() {
        assertThat(Yaml.problems(BASE, "clients.first.replicas=2"))
                .containsExactly("--set:1:1: clients.first: expected a list index after clients, got \"first\"");
    }

    @Test
    void missingEquals() {
        assertThat(Yaml.problems("", "seed")).containsExactly("--set:1:1: seed: expected KEY=VALUE, got \"seed\"");
    }

    @Test
    void badValueIsLocatedAtTheValue() {
        assertThat(Yaml.problems(BASE, "seed=2", "clients.0.connectionsPerSecond=fast")).containsExactly(
                "--set:2:32: clients[0].connectionsPerSecond: expected a positive number, got \"fast\"");
    }

    @Test
    void quotedValueIsText() {
        assertThat(Yaml.problems("", "seed=\"1\"")).containsExactly("--set:1:6: seed: expected an integer, got \"1\"");
    }

    @Test
    void kernelOverrideChangesWhichSysctlsExist() {
        String yaml = "sysctl:\n  net.ipv4.tcp_syn_linear_timeouts: 2\n";
        assertThat(Yaml.load(yaml).sysctl()).containsEntry(Sysctl.NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS, 2L);
        assertThat(Yaml.problems(yaml, "kernel=4.19"))
                .containsExactly("s.yaml:2:3: sysctl.net.ipv4.tcp_syn_linear_timeouts: does not exist on kernel 4.19");
    }

    @Test
    void sysctlSetOnWrongKernelIsLocatedAtTheSet() {
        assertThat(Yaml.problems("kernel: \"4.19\"\n", "sysctl.net.ipv4.tcp_syn_linear_timeouts=1"))
                .containsExactly("--set:1:1: sysctl.net.ipv4.tcp_syn_linear_timeouts: does not exist on kernel 4.19");
    }

    @Test
    void flowListValue() {
        Scenario s = Yaml.load(BASE, "deployments.0.podIPs=[10.244.0.5, 10.244.0.6]");
        assertThat(s.deployments().get(0).podIPs()).containsExactly(Ip4.parse("10.244.0.5"), Ip4.parse("10.244.0.6"));
    }

    @Test
    void fileProblemsComeBeforeSetProblems() {
        assertThat(Yaml.problems("seed: x\n", "proxy.mode=fast")).containsExactly(
                "s.yaml:1:7: seed: expected an integer, got \"x\"",
                "--set:1:12: proxy.mode: expected one of ipvs, iptables, nftables, none, got \"fast\"");
    }
}
