package io.svclab.run;

import io.svclab.cli.BuiltinScenarios;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The incident issue's run invariants ({@link RunInvariants}) after every built-in scenario and
 * after a few oracle scenarios: every client SYN accounted for, tables within their limits, no
 * connection reported twice.
 */
class RunInvariantsTest {

    private static RunInvariants.Report builtin(String name, String... sets) {
        return RunInvariants.check(ScenarioLoader.loadText("builtin:" + name, BuiltinScenarios.yaml(name),
                List.of(sets)));
    }

    private static RunInvariants.Report yaml(String yaml) {
        return RunInvariants.check(ScenarioLoader.loadText("invariants.yaml", yaml, List.of()));
    }

    private static void assertAccounted(RunInvariants.Report r) {
        assertThat(r.accountedSyns()).isEqualTo(r.clientSyns());
        assertThat(r.recordedConnections()).isEqualTo(r.result().connections().attempted());
    }

    @Test
    void seedIncidentOnIpvs419ThroughTheRollout() {
        // the SYNs start failing at 49 s, after the rollout at 30 s
        RunInvariants.Report r = builtin("seed-incident", "duration=52s");
        assertAccounted(r);
        assertThat(r.clientSyns()).isGreaterThan(r.result().connections().attempted());
        // every connection's IPVS entry is still there (TIME_WAIT lasts 120 s), each counted by its real server
        assertThat(r.ipvsEntries()).isEqualTo(r.recordedConnections());
        assertThat(r.inFlight()).isPositive();
        // reused ports follow IPVS's old entries to the old pods' addresses: the node's ARP queue overflows
        assertThat(r.dropped()).containsOnlyKeys("NEIGH_QUEUE_FULL");
    }

    @Test
    void seedIncidentInIptablesModeAndOn510() {
        for (RunInvariants.Report r : List.of(builtin("seed-incident", "duration=40s", "proxy.mode=iptables"),
                builtin("seed-incident", "duration=40s", "kernel=5.10", "sysctl.net.ipv4.vs.conn_reuse_mode=1"))) {
            assertAccounted(r);
            assertThat(r.result().connections().failed()).isZero();
            assertThat(r.deliveredToTcp()).isGreaterThanOrEqualTo(r.result().connections().succeeded());
        }
    }

    @Test
    void pooledClientsInBothModes() {
        for (String mode : List.of("ipvs", "iptables")) {
            RunInvariants.Report r = builtin("pooled-clients", "duration=45s", "proxy.mode=" + mode);
            assertAccounted(r);
            // one SYN per connection, none retransmitted: the 40 of the first pool (closed at the old
            // pods' exits) and those reopened on demand since, still open
            assertThat(r.result().connections().attempted()).isEqualTo(40);
            assertThat(r.clientSyns()).isEqualTo(40 + r.result().connections().inFlight());
            assertThat(r.result().requests().attempted()).isGreaterThan(20_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reuse-ipvs", "stale-iptables", "minimal"})
    void scriptedBuiltinScenarios(String name) {
        RunInvariants.Report r = builtin(name);
        assertAccounted(r);
        assertThat(r.inFlight()).isZero();
    }

    /**
     * A SYN on the wire to a pod that is deleted before it arrives: before the fix it was released
     * without any event ({@code NetNamespace.receiveFromLink}); now it is dropped with DEVICE_DOWN.
     * The client's SYNs leave every millisecond from 662.481 us; the one sent at 3.662481 ms is
     * forwarded by the node at 3.712481 ms and arrives at 3.762481 ms, after the deletion at 3.72 ms.
     */
    @Test
    void aSynOnTheWireToADeletedPodIsDroppedWithAReason() {
        RunInvariants.Report r = yaml(String.join("\n",
                "name: deleted",
                "duration: 2s",
                "kernel: \"6.12\"",
                "proxy: {mode: none}",
                "services:",
                "  - {name: svc, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: be",
                "    service: svc",
                "    replicas: 1",
                "    podIPs: [10.244.1.2]",
                "    pod: {startup: 0s, readinessDelay: 0s, closer: client}",
                "clients:",
                "  - {name: client, target: svc, connectionsPerSecond: 1000, arrivals: constant, timeout: 1s}",
                "steps:",
                "  - iptables-restore: |",
                "      *nat",
                "      :KUBE-SERVICES - [0:0]",
                "      -A PREROUTING -j KUBE-SERVICES",
                "      -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.2:8080",
                "      COMMIT",
                "  - wait: 3720us",
                "  - deletePod: be-0",
                ""));
        assertAccounted(r);
        assertThat(r.dropped()).containsExactly(entry("DEVICE_DOWN", 1L));
        assertThat(r.deliveredToTcp()).isEqualTo(3);
        // every later SYN goes to the deleted pod's MAC the node still caches: lost on the bridge
        assertThat(r.lostOnLink()).isPositive();
    }

    @Test
    void ipvsOracleReuseWithWeightZero() {
        RunInvariants.Report r = yaml(String.join("\n",
                "name: ipvs-oracle",
                "duration: 20s",
                "kernel: \"4.19\"",
                "proxy: {mode: none}",
                "sysctl:",
                "  net.ipv4.vs.conn_reuse_mode: 0",
                "  net.ipv4.vs.conntrack: 1",
                "services:",
                "  - {name: vip, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: rs",
                "    service: vip",
                "    replicas: 2",
                "    podIPs: [10.244.1.2, 10.244.1.3]",
                "    pod: {startup: 0s, readinessDelay: 0s, closer: server}",
                "clients:",
                "  - {name: client, target: vip, connectionsPerSecond: 0, timeout: 5s}",
                "steps:",
                "  - ipvsadm: \"-A -t 10.96.0.10:80 -s rr\"",
                "  - ipvsadm: \"-a -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 1\"",
                "  - ipvsadm: \"-a -t 10.96.0.10:80 -r 10.244.1.3:8080 -m -w 1\"",
                "  - connect: {client: client, sport: 40004}",
                "  - wait: 300ms",
                "  - ipvsadm: \"-e -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 0\"",
                "  - wait: 300ms",
                "  - connect: {client: client, sport: 40004}",
                "  - wait: 300ms",
                "  - connect: {client: client, sport: 41004}",
                ""));
        assertAccounted(r);
        assertThat(r.recordedConnections()).isEqualTo(3);
        // conn_reuse_mode=0: the second connection from port 40004 takes over the first one's entry
        assertThat(r.ipvsEntries()).isEqualTo(2);
        assertThat(r.inFlight()).isZero();
    }

    private static String staleDnatOracle(String cni, String breakBackend) {
        return String.join("\n",
                "name: oracle",
                "duration: 30s",
                "kernel: \"6.12\"",
                "proxy: {mode: none}",
                "network: {cni: " + cni + "}",
                "services:",
                "  - {name: oracle, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: be",
                "    service: oracle",
                "    replicas: 2",
                "    podIPs: [10.244.1.2, 10.244.1.3]",
                "    pod: {startup: 0s, readinessDelay: 0s, closer: client}",
                "clients:",
                "  - name: client",
                "    target: oracle",
                "    connectionsPerSecond: 0",
                "    timeout: 0s",
                "steps:",
                "  - iptables-restore: |",
                "      *nat",
                "      :KUBE-SERVICES - [0:0]",
                "      :KUBE-SVC-ORACLE - [0:0]",
                "      :KUBE-SEP-BE1 - [0:0]",
                "      -A PREROUTING -j KUBE-SERVICES",
                "      -A KUBE-SEP-BE1 -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080",
                "      -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-ORACLE",
                "      -A KUBE-SVC-ORACLE -j KUBE-SEP-BE1",
                "      COMMIT",
                "  - connect: {client: client, sport: 40006, hold: 600s}",
                "  - vanish: {client: client, sport: 40006}",
                "  - " + breakBackend,
                "  - connect: {client: client, sport: 40006}",
                "  - wait: 1s",
                "  - dump: [conntrack]",
                "");
    }

    /** Oracle S6 shape: the stale DNAT leads to a backend whose link is down; ARP fails after three probes. */
    @Test
    void oracleStaleDnatToALinkDownBackendFailsInTheNeighbourLayer() {
        RunInvariants.Report r = yaml(staleDnatOracle("ptp", "linkDown: be-0"));
        assertAccounted(r);
        assertThat(r.result().steps()).filteredOn(s -> s.connect() != null)
                .extracting(s -> s.connect().result()).containsExactly("OK", "EHOSTUNREACH");
        // SYNs at 0, 1, 2, 3 s wait in the node's ARP queue; the queue fails after the third probe
        assertThat(r.dropped()).containsExactly(entry("NEIGH_FAILED", 4L));
        assertThat(r.inFlight()).isZero();
    }

    /** The bridge oracle: the node still caches the deleted pod's MAC, so its SYNs are lost on the bridge. */
    @Test
    void oracleStaleDnatToADeletedPodOnABridgeIsStillInFlightAtTheEnd() {
        RunInvariants.Report r = yaml(staleDnatOracle("bridge", "deletePod: be-0"));
        assertAccounted(r);
        // the second connect retransmits into the void until the run ends
        assertThat(r.result().steps()).filteredOn(s -> s.connect() != null)
                .extracting(s -> s.connect().result()).containsExactly("OK", "RUNNING");
        // the first connection holds for 600 s: no record yet; the second is still connecting
        assertThat(r.recordedConnections()).isZero();
        assertThat(r.lostOnLink()).isPositive();
        assertThat(r.dropped()).isEmpty();
    }
}
