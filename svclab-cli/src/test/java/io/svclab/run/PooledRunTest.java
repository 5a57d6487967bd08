package io.svclab.run;

import io.svclab.net.trace.Trace;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled client's keep-alive connection through IPVS when its real server changes under it
 * (spec ipvs-kube-proxy.md §7 F6, lbernail's test in kubernetes#81775: weight 0 keeps a keep-alive
 * connection working; {@code ipvsadm -d} resets it).
 */
class PooledRunTest {

    /** One backend, one pooled connection, 10 requests per second; the change at 5 s; 8 s. */
    private static RunResult run(String kernel, String change, String... more) {
        return runFor("8s", kernel, change, more);
    }

    private static RunResult runFor(String duration, String kernel, String change, String... more) {
        String yaml = String.join("\n",
                "name: pooled-ipvs",
                "duration: " + duration,
                "kernel: \"" + kernel + "\"",
                "proxy: {mode: none}",
                "sysctl:",
                "  net.ipv4.vs.conntrack: 1",
                "  net.ipv4.vs.expire_nodest_conn: 1",
                "services:",
                "  - {name: vip, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: rs",
                "    service: vip",
                "    replicas: 1",
                "    podIPs: [10.244.1.2]",
                "    pod: {startup: 0s, readinessDelay: 0s}",
                "clients:",
                "  - {name: client, target: vip, connectionsPerSecond: 10, arrivals: constant, pattern: pooled,"
                        + " poolSize: 1, requestDuration: 2ms, timeout: 3s}",
                "steps:",
                "  - ipvsadm: \"-A -t 10.96.0.10:80 -s rr\"",
                "  - ipvsadm: \"-a -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 1\"",
                "  - wait: 5s",
                "  - ipvsadm: \"" + change + "\"",
                String.join("\n", more),
                "");
        return new Runner(ScenarioLoader.loadText("pooled-ipvs.yaml", yaml, List.of()), Trace.NONE).run(0, () -> 0);
    }

    @Test
    void weightZeroKeepsThePooledConnectionOnItsRealServer() {
        RunResult r = run("4.19", "-e -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 0", "  - wait: 1s",
                "  - dump: [ipvs]");
        // graceful termination's weight 0 only stops new connections: the pooled one goes on
        assertThat(r.requests().failed()).isZero();
        assertThat(r.requests().attempted()).isBetween(79L, 80L);
        assertThat(r.connections().attempted()).isZero();
        assertThat(r.connections().inFlight()).isEqualTo(1);
        assertThat(r.dumps().get(0).text()).contains("  -> 10.244.1.2:8080              Masq    0      1          0");
    }

    @Test
    void deletingTheRealServerResetsThePooledConnectionAfterOneRetransmissionOn419() {
        RunResult r = run("4.19", "-d -t 10.96.0.10:80 -r 10.244.1.2:8080");
        // the next request's segment meets the entry of a deleted server: expired and dropped
        // (expire_nodest_conn); its retransmission one RTO (200 ms + 3 x RTT) later finds no entry, is
        // not a SYN, reaches the node's own stack through the local ClusterIP and draws an RST
        assertThat(r.requests().errors().get("ECONNRESET")).isEqualTo(1);
        assertThat(r.connections().errors().get("ECONNRESET")).isEqualTo(1);
        assertThat(r.timeline().subList(0, 5)).allSatisfy(t -> assertThat(t.requestsFailed()).isZero());
        assertThat(r.requests().latencyMs().max()).isGreaterThanOrEqualTo(200.0);
        // the pool reopens; with no real server left IPVS answers every SYN with port unreachable
        assertThat(r.requests().errors().get("ECONNREFUSED")).isPositive();
        assertThat(r.requests().failed()).isEqualTo(1 + r.requests().errors().get("ECONNREFUSED"));
    }

    @Test
    void deletingTheRealServerResetsThePooledConnectionAtOnceOn61() {
        // (half a second after the change: the node's ICMP rate limit, a burst of 6, does not bite yet)
        RunResult r = runFor("5.5s", "6.1", "-d -t 10.96.0.10:80 -r 10.244.1.2:8080");
        // 5.9+: the deleted server's entries are flushed one jiffy after ipvsadm -d; the request's
        // first segment already finds no entry and is reset by the node's stack
        assertThat(r.requests().errors().get("ECONNRESET")).isEqualTo(1);
        assertThat(r.connections().errors().get("ECONNRESET")).isEqualTo(1);
        // no request waits for a retransmission: the reset and the refusals come within one RTT
        assertThat(r.requests().latencyMs().max()).isLessThan(5.0);
    }

    /**
     * iptables mode: the backend pod is deleted at 5 s (its address vanishes, no FIN, no RST) under
     * the idle pooled connection; the conntrack entry still sends the connection there.
     */
    @Test
    void aVanishedBackendLeavesTheRequestToTheApplicationTimeoutThenThePoolReopens() {
        String yaml = String.join("\n",
                "name: pooled-vanish",
                "duration: 12s",
                "kernel: \"4.19\"",
                "proxy: {mode: iptables, watchDelay: 0s}",
                "services:",
                "  - {name: vip, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: rs",
                "    service: vip",
                "    replicas: 1",
                "    pod: {startup: 0s, readinessDelay: 0s}",
                "clients:",
                "  - {name: client, target: vip, connectionsPerSecond: 10, arrivals: constant, pattern: pooled,"
                        + " poolSize: 1, requestDuration: 2ms, timeout: 3s}",
                "steps:",
                "  - wait: 5s",
                "  - deletePod: rs-0",
                "");
        RunResult r = new Runner(ScenarioLoader.loadText("pooled-vanish.yaml", yaml, List.of()), Trace.NONE)
                .run(0, () -> 0);
        // the first request after the deletion is retransmitted into the void until its 3 s timeout;
        // the requests queued behind it then go on a new connection, to the replacement pod
        assertThat(r.requests().attempted()).isEqualTo(120);
        assertThat(r.requests().failed()).isEqualTo(1);
        assertThat(r.requests().errors().get("APP_TIMEOUT")).isEqualTo(1);
        assertThat(r.requests().latencyMs().max()).isEqualTo(3000.3); // 3 s in a 3-digit HdrHistogram
        assertThat(r.connections().errors().get("APP_TIMEOUT")).isEqualTo(1);
        assertThat(r.connections().inFlight()).isEqualTo(1);
        assertThat(r.backends()).filteredOn(b -> b.pod().equals("rs-1")).singleElement()
                .satisfies(b -> assertThat(b.requests()).isPositive());
    }
}
