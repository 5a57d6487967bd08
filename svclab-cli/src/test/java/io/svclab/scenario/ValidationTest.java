package io.svclab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidationTest {

    private static final String SERVICE = "services: [{name: web, clusterIP: 10.96.0.1}]";

    @Test
    void contractMessageForABadRate() {
        assertThat(Yaml.problems(Yaml.lines(
                SERVICE,
                "clients:",
                "  - name: c",
                "    target: web",
                "    connectionsPerSecond: fast")))
                .containsExactly("s.yaml:5:27: clients[0].connectionsPerSecond: expected a positive number, got \"fast\"");
    }

    @Test
    void negativeRate() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "clients: [{name: c, target: web, connectionsPerSecond: -5}]")))
                .containsExactly("s.yaml:2:56: clients[0].connectionsPerSecond: expected a positive number or 0, got -5");
    }

    @Test
    void unknownTopLevelField() {
        assertThat(Yaml.problems("seeed: 3\n")).containsExactly("s.yaml:1:1: seeed: unknown field (known: name, seed, "
                + "duration, kernel, kernelFeatures, proxy, network, sysctl, services, deployments, clients, events, steps)");
    }

    @Test
    void unknownNestedField() {
        assertThat(Yaml.problems("proxy:\n  mode: ipvs\n  noSuch: 1\n")).containsExactly(
                "s.yaml:3:3: proxy.noSuch: unknown field (known: mode, version, scheduler, syncPeriod, minSyncPeriod, watchDelay)");
    }

    @Test
    void integerExpected() {
        assertThat(Yaml.problems("seed: x\n")).containsExactly("s.yaml:1:7: seed: expected an integer, got \"x\"");
    }

    @Test
    void hugeIntegerIsOutOfRange() {
        assertThat(Yaml.problems("seed: 99999999999999999999999\n"))
                .containsExactly("s.yaml:1:7: seed: expected an integer, got 99999999999999999999999");
    }

    @Test
    void durationWithoutUnit() {
        assertThat(Yaml.problems("duration: 5\n"))
                .containsExactly("s.yaml:1:11: duration: expected a duration like 200ms, 3s, 5m, got 5 without a unit");
    }

    @Test
    void durationMustBePositive() {
        assertThat(Yaml.problems("duration: 0\n")).containsExactly("s.yaml:1:11: duration: expected a duration above 0, got 0");
    }

    @Test
    void enumValue() {
        assertThat(Yaml.problems("proxy: {mode: IPVS}\n"))
                .containsExactly("s.yaml:1:15: proxy.mode: expected one of ipvs, iptables, nftables, none, got \"IPVS\"");
    }

    @Test
    void proxyVersionShape() {
        assertThat(Yaml.problems("proxy: {version: v1}\n"))
                .containsExactly("s.yaml:1:18: proxy.version: expected a kube-proxy version like 1.33, got \"v1\"");
    }

    @Test
    void nodeCountRange() {
        assertThat(Yaml.problems("network: {nodes: 65}\n"))
                .containsExactly("s.yaml:1:18: network.nodes: expected an integer in 1..64, got 65");
    }

    @Test
    void portRange() {
        assertThat(Yaml.problems("services: [{name: a, clusterIP: 10.96.0.1, port: 70000}]\n"))
                .containsExactly("s.yaml:1:50: services[0].port: expected an integer in 1..65535, got 70000");
    }

    @Test
    void badClusterIP() {
        assertThat(Yaml.problems("services: [{name: a, clusterIP: 10.96.0.256}]\n"))
                .containsExactly("s.yaml:1:33: services[0].clusterIP: octet 256 is out of range 0..255 in \"10.96.0.256\"");
    }

    @Test
    void clusterIPRequired() {
        assertThat(Yaml.problems("services:\n  - name: a\n"))
                .containsExactly("s.yaml:2:5: services[0].clusterIP: required field is missing");
    }

    @Test
    void duplicateServiceName() {
        assertThat(Yaml.problems(Yaml.lines(
                "services:",
                "  - {name: a, clusterIP: 10.96.0.1}",
                "  - {name: a, clusterIP: 10.96.0.2}")))
                .containsExactly("s.yaml:3:12: services[1].name: duplicate service name \"a\" (first at s.yaml:2:12)");
    }

    @Test
    void duplicateClusterIP() {
        assertThat(Yaml.problems(Yaml.lines(
                "services:",
                "  - {name: a, clusterIP: 10.96.0.1}",
                "  - {name: b, clusterIP: 10.96.0.1}")))
                .containsExactly("s.yaml:3:26: services[1].clusterIP: clusterIP 10.96.0.1 is used by another service");
    }

    @Test
    void duplicatePodIP() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web, podIPs: [10.244.0.2, 10.244.0.2]}]")))
                .containsExactly("s.yaml:2:48: deployments[0].podIPs[1]: pod IP 10.244.0.2 is already used (first at s.yaml:2:36)");
    }

    @Test
    void deploymentServiceReference() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: api, service: nope}]")))
                .containsExactly("s.yaml:2:36: deployments[0].service: no service named \"nope\" (services: web)");
    }

    @Test
    void clientTargetReference() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "clients: [{name: c, target: db}]")))
                .containsExactly("s.yaml:2:29: clients[0].target: no service named \"db\" (services: web)");
    }

    @Test
    void eventReference() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web}]", "events: [{at: 1s, rollout: api}]")))
                .containsExactly("s.yaml:3:28: events[0].rollout: no deployment named \"api\" (deployments: web)");
    }

    @Test
    void eventWithTwoActions() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web}]",
                "events: [{at: 1s, rollout: web, scale: {deployment: web, replicas: 2}}]")))
                .containsExactly("s.yaml:3:33: events[0].scale: an event has exactly one action, found rollout and scale");
    }

    @Test
    void stepClientReference() {
        assertThat(Yaml.problems("steps:\n  - connect: {client: ghost}\n"))
                .containsExactly("s.yaml:2:23: steps[0].connect.client: no client named \"ghost\" (clients: none defined)");
    }

    @Test
    void stepWithTwoKeys() {
        assertThat(Yaml.problems("steps:\n  - wait: 1s\n    nft: x\n"))
                .containsExactly("s.yaml:3:5: steps[0].nft: a step has exactly one action, found wait and nft");
    }

    @Test
    void emptyStep() {
        assertThat(Yaml.problems("steps:\n  - {}\n")).containsExactly("s.yaml:2:5: steps[0]: a step has no action: expected "
                + "one of connect, wait, ipvsadm, iptables-restore, nft, sysctl, deletePod, linkDown, vanish, conntrack, dump");
    }

    @Test
    void deletePodNameShape() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web}]", "steps: [deletePod: api-0]")))
                .containsExactly("s.yaml:3:20: steps[0].deletePod: expected a pod name <deployment>-<ordinal> of a "
                        + "deployment (web), got \"api-0\"");
    }

    @Test
    void dumpKind() {
        assertThat(Yaml.problems("steps: [dump: [conntrack, ipvsadm]]\n")).containsExactly(
                "s.yaml:1:27: steps[0].dump[1]: expected one of conntrack, proc-conntrack, ipvs, ipvs-conn, "
                        + "proc-ipvs-conn, iptables, nft, sysctl, got \"ipvsadm\"");
    }

    @Test
    void unknownKernel() {
        assertThat(Yaml.problems("kernel: \"7.1\"\n")).containsExactly("s.yaml:1:9: kernel: expected a kernel version such as "
                + "3.10, 4.14, 4.19, 5.4, 5.9, 5.10, 5.15, 5.16, 6.1, 6.6, 6.12 or a stable release such as 5.10.251, got \"7.1\"");
    }

    @Test
    void unknownKernelFeature() {
        assertThat(Yaml.problems("kernelFeatures: {TCP_MAGIC: true}\n")).hasSize(1).first().asString()
                .startsWith("s.yaml:1:18: kernelFeatures.TCP_MAGIC: unknown kernel feature (known: TCP_CONNECT_EVEN_PORTS, ");
    }

    @Test
    void kernelFeatureNeedsBoolean() {
        assertThat(Yaml.problems("kernelFeatures: {TCP_SYN_LINEAR_TIMEOUTS: yes}\n")).containsExactly(
                "s.yaml:1:43: kernelFeatures.TCP_SYN_LINEAR_TIMEOUTS: expected true or false, got \"yes\"");
    }

    @Test
    void kernelFeatureOverrideApplies() {
        Scenario s = Yaml.load("kernel: \"4.19\"\nkernelFeatures: {TCP_SYN_LINEAR_TIMEOUTS: true}\n");
        assertThat(s.kernelProfile().has(io.svclab.kernel.KernelFeature.TCP_SYN_LINEAR_TIMEOUTS)).isTrue();
        assertThat(s.kernelFeatures()).containsEntry(io.svclab.kernel.KernelFeature.TCP_SYN_LINEAR_TIMEOUTS, true);
    }

    @Test
    void unknownSysctl() {
        assertThat(Yaml.problems("sysctl:\n  net.ipv4.tcp_magic: 1\n"))
                .containsExactly("s.yaml:2:3: sysctl.net.ipv4.tcp_magic: unknown sysctl \"net.ipv4.tcp_magic\"");
    }

    @Test
    void sysctlMissingOnKernel() {
        assertThat(Yaml.problems("kernel: \"4.19\"\nsysctl:\n  net.ipv4.tcp_syn_linear_timeouts: 2\n"))
                .containsExactly("s.yaml:3:3: sysctl.net.ipv4.tcp_syn_linear_timeouts: does not exist on kernel 4.19");
    }

    @Test
    void sysctlValueRange() {
        assertThat(Yaml.problems("sysctl: {net.ipv4.vs.conn_reuse_mode: 5}\n")).containsExactly(
                "s.yaml:1:39: sysctl.net.ipv4.vs.conn_reuse_mode: expected an integer in 0..3, got \"5\"");
    }

    @Test
    void sysctlPairAsString() {
        Scenario s = Yaml.load(Yaml.lines(SERVICE,
                "clients: [{name: c, target: web, sysctl: {net.ipv4.ip_local_port_range: \"40000 40009\"}}]"));
        assertThat(s.clients().get(0).sysctl().get(io.svclab.kernel.Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE))
                .isEqualTo(io.svclab.kernel.Sysctls.pair(40000, 40009));
    }

    @Test
    void podSysctlOnOldKernelHasSmallerRange() {
        assertThat(Yaml.problems(Yaml.lines("kernel: \"4.14\"", SERVICE,
                "deployments: [{name: web, pod: {sysctl: {net.ipv4.tcp_tw_reuse: 2}}}]"))).containsExactly(
                "s.yaml:3:65: deployments[0].pod.sysctl.net.ipv4.tcp_tw_reuse: expected an integer in 0..1, got \"2\"");
    }

    @Test
    void strategyBothZero() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web, strategy: {maxSurge: 0, maxUnavailable: 0}}]")))
                .containsExactly("s.yaml:2:37: deployments[0].strategy: maxSurge and maxUnavailable cannot both be 0");
    }

    @Test
    void strategyPercentRange() {
        assertThat(Yaml.problems(Yaml.lines(SERVICE, "deployments: [{name: web, strategy: {maxSurge: 150%}}]")))
                .containsExactly("s.yaml:2:48: deployments[0].strategy.maxSurge: expected an integer >= 0 or a percentage "
                        + "like 25%, got \"150%\"");
    }

    @Test
    void topLevelScalar() {
        assertThat(Yaml.problems("just text\n")).containsExactly(
                "s.yaml:1:1: (top): expected a mapping of scenario fields, got \"just text\"");
    }

    @Test
    void listWhereMappingExpected() {
        assertThat(Yaml.problems("proxy: [ipvs]\n")).containsExactly("s.yaml:1:8: proxy: expected a mapping with fields "
                + "mode, version, scheduler, syncPeriod, minSyncPeriod, watchDelay, got a list");
    }

    @Test
    void manyProblemsSortedByPlace() {
        assertThat(Yaml.problems(Yaml.lines(
                "steps: [wait: soon]",
                "proxy: {mode: fast}",
                "seed: x",
                "duration: -1s"))).containsExactly(
                "s.yaml:1:15: steps[0].wait: expected a duration like 200ms, 3s, 5m, got \"soon\"",
                "s.yaml:2:15: proxy.mode: expected one of ipvs, iptables, nftables, none, got \"fast\"",
                "s.yaml:3:7: seed: expected an integer, got \"x\"",
                "s.yaml:4:11: duration: expected a duration like 200ms, 3s, 5m, got \"-1s\"");
    }
}
