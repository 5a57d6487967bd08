package io.svclab.run;

import io.svclab.net.trace.Trace;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IPVS oracle's TIME_WAIT matrix (shared oracle README part B, Debian 6.1.0-56 under qemu),
 * replayed as scripted scenarios through the whole model: connection #1 from a fixed client port,
 * then the real server that answered is set to weight 0 or deleted, then connection #2 from the
 * SAME port while IPVS still holds the TIME_WAIT entry, then a control connection from another
 * port. Addresses are this model's: VIP 10.96.0.10:80, rs1 10.244.1.2:8080, rs2 10.244.1.3:8080,
 * client 10.244.1.4; the client's own timeout is 5 s as the oracle's.
 */
class IpvsOracleScenariosTest {

    private static final String RS1 = "10.244.1.2:8080";
    private static final String RS2 = "10.244.1.3:8080";

    private static RunResult run(int reuse, int ct, int nodest, String change) {
        return run("6.1", reuse, ct, nodest, change);
    }

    private static RunResult run(String kernel, int reuse, int ct, int nodest, String change) {
        return run(kernel, reuse, ct, nodest, change, false);
    }

    private static RunResult run(String kernel, int reuse, int ct, int nodest, String change, boolean stale) {
        String changeStep = change.equals("weight0")
                ? "  - ipvsadm: \"-e -t 10.96.0.10:80 -r 10.244.1.3:8080 -m -w 0\"\n"
                : "  - ipvsadm: \"-d -t 10.96.0.10:80 -r 10.244.1.3:8080\"\n";
        String yaml = String.join("\n",
                "name: ipvs-oracle",
                "duration: 20s",
                "kernel: \"" + kernel + "\"",
                "proxy: {mode: none}",
                "sysctl:",
                "  net.ipv4.vs.conn_reuse_mode: " + reuse,
                "  net.ipv4.vs.conntrack: " + ct,
                "  net.ipv4.vs.expire_nodest_conn: " + nodest,
                "  net.ipv4.vs.expire_quiescent_template: 1",
                "services:",
                "  - {name: vip, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
                "deployments:",
                "  - name: rs",
                "    service: vip",
                "    replicas: 2",
                "    podIPs: [10.244.1.2, 10.244.1.3]",
                "    pod: {startup: 0s, readinessDelay: 0s, closer: " + (stale ? "client" : "server") + "}",
                "clients:",
                "  - {name: client, target: vip, connectionsPerSecond: 0, timeout: 5s}",
                "steps:",
                "  - ipvsadm: \"-A -t 10.96.0.10:80 -s rr\"",
                "  - ipvsadm: \"-a -t 10.96.0.10:80 -r 10.244.1.2:8080 -m -w 1\"",
                "  - ipvsadm: \"-a -t 10.96.0.10:80 -r 10.244.1.3:8080 -m -w 1\"",
                stale ? "  - connect: {client: client, sport: 40004, hold: 600s}\n  - vanish: {client: client, sport: 40004}"
                        : "  - connect: {client: client, sport: 40004}",
                "  - wait: 300ms",
                // the oracle's guest-test.sh sleeps 0.3 s before and after the change
                changeStep + "  - wait: 300ms",
                "  - connect: {client: client, sport: 40004}",
                "  - wait: 300ms",
                "  - connect: {client: client, sport: 41004}",
                "");
        return new Runner(ScenarioLoader.loadText("ipvs-oracle.yaml", yaml, List.of()), Trace.NONE).run(0, () -> 0);
    }

    private static List<StepResult.Connect> connects(RunResult r) {
        List<StepResult.Connect> out = new ArrayList<>();
        for (StepResult s : r.steps()) {
            if (s.connect() != null) {
                out.add(s.connect());
            }
        }
        return out;
    }

    /**
     * Expected second connection: SAME (the old TIME_WAIT entry's real server), RESCHED (the other
     * real server, no delay) or TIMEOUT (the SYN is dropped silently; the client's own 5 s timeout).
     */
    @ParameterizedTest(name = "reuse={0} ct={1} nodest={2} {3} -> {4}")
    @CsvSource({
        "0, 0, 0, weight0, SAME",
        "0, 1, 0, weight0, SAME",
        "0, 0, 0, delete, TIMEOUT",
        "0, 1, 0, delete, TIMEOUT",
        "0, 0, 1, weight0, RESCHED",
        "0, 1, 1, weight0, RESCHED",
        "0, 0, 1, delete, RESCHED",
        "0, 1, 1, delete, RESCHED",
        "1, 0, 0, weight0, RESCHED",
        "1, 1, 0, weight0, RESCHED",
        "1, 0, 0, delete, RESCHED",
        "1, 1, 0, delete, RESCHED",
        "1, 0, 1, weight0, RESCHED",
        "1, 1, 1, weight0, RESCHED",
        "1, 0, 1, delete, RESCHED",
        "1, 1, 1, delete, RESCHED",
    })
    void timeWaitEntryAndAReusedClientPort(int reuse, int ct, int nodest, String change, String expected) {
        List<StepResult.Connect> c = connects(run(reuse, ct, nodest, change));
        assertThat(c).hasSize(3);
        // the oracle's first connection went to rs2 (rr, first pick), the control one to rs1
        assertThat(c.get(0).backend()).isEqualTo(RS2);
        switch (expected) {
            case "SAME":
                assertThat(c.get(1).result()).isEqualTo("OK");
                assertThat(c.get(1).backend()).isEqualTo(RS2);
                assertThat(c.get(1).synRetransmissions()).isZero();
                break;
            case "RESCHED":
                assertThat(c.get(1).result()).isEqualTo("OK");
                assertThat(c.get(1).backend()).isEqualTo(RS1);
                // no 1 s delay: conntrack already replaced the TIME_WAIT entry by an unconfirmed one
                assertThat(c.get(1).synRetransmissions()).isZero();
                break;
            default:
                // the oracle: "connect:timeout after_ms=5006"
                assertThat(c.get(1).result()).isEqualTo("APP_TIMEOUT");
                assertThat(c.get(1).backend()).isNull();
        }
        assertThat(c.get(2).result()).isEqualTo("OK");
        assertThat(c.get(2).backend()).isEqualTo(RS1);
    }

    /**
     * The kernel-version switches of spec ipvs-kube-proxy.md §1.8 on the same script (weight 0,
     * {@code expire_nodest_conn=1} as kube-proxy sets it): before 5.9 a rescheduled SYN whose old
     * connection used conntrack is dropped and the client's retransmission one second later is
     * scheduled afresh (kubernetes#81775); 5.9 drops only for a confirmed old entry; before 5.16
     * (without the backport) {@code conn_reuse_mode=0} keeps the weight-0 server.
     */
    @ParameterizedTest(name = "kernel {0} reuse={1} ct={2}: {3} retx {4}")
    @CsvSource({
        "4.19,     1, 1, RS1, 1",
        "4.19,     1, 0, RS1, 0",
        "5.10,     1, 1, RS1, 0",
        "4.19,     0, 1, RS2, 0",
        "5.15,     0, 1, RS2, 0",
        "5.16,     0, 1, RS1, 0",
        "5.10.251, 0, 1, RS1, 0",
        "3.10,     1, 1, RS1, 1",
    })
    void versionSwitches(String kernel, int reuse, int ct, String backend, int retransmissions) {
        List<StepResult.Connect> c = connects(run(kernel, reuse, ct, 1, "weight0"));
        assertThat(c.get(0).backend()).isEqualTo(RS2);
        assertThat(c.get(1).result()).isEqualTo("OK");
        assertThat(c.get(1).backend()).isEqualTo(backend.equals("RS1") ? RS1 : RS2);
        assertThat(c.get(1).synRetransmissions()).isEqualTo(retransmissions);
        if (retransmissions == 1) {
            // the dropped SYN is retransmitted after the initial RTO of 1 s
            assertThat(c.get(1).connectMs()).isBetween(1000.0, 1001.0);
        } else {
            assertThat(c.get(1).connectMs()).isLessThan(1.0);
        }
    }

    /**
     * The stale-ESTABLISHED half of the VM matrix (this project's own run of the oracle's
     * {@code run-in-vm.sh full} on Debian 6.1.0-56, 2026-11-25): connection #1 is held open by the
     * real server while the client forgets it silently, so IPVS and conntrack both hold an
     * ESTABLISHED, confirmed entry when the same client port sends a new SYN (the run's summary is
     * kept in src/test/resources/oracle/ipvs-summary-full-6.1.0-56.txt).
     * Measured: weight 0 + nodest=1 → rescheduled after 1004/1026 ms (the SYN is dropped because the
     * old conntrack entry is confirmed); weight 0 + nodest=0 + reuse=0 → same server after 25 ms
     * (challenge ACK, client RST, SYN again); weight 0 + nodest=0 + reuse=1 → rescheduled after 12 ms
     * (the RST moved the IPVS entry to CLOSE, the next SYN reopens); deleted + nodest=1 → rescheduled
     * at once (2–3 ms); deleted + nodest=0 → the client's 5 s timeout.
     */
    @ParameterizedTest(name = "stale reuse={0} nodest={1} {2} -> {3} {4} retx")
    @CsvSource({
        "0, 1, weight0, RS1, 1",
        "1, 1, weight0, RS1, 1",
        "0, 0, weight0, RS2, 1",
        "1, 0, weight0, RS1, 1",
        "0, 1, delete, RS1, 0",
        "1, 1, delete, RS1, 0",
        "0, 0, delete, TIMEOUT, 0",
        "1, 0, delete, TIMEOUT, 0",
    })
    void staleEstablishedEntryAndAReusedClientPort(int reuse, int nodest, String change, String expected, int retx) {
        List<StepResult.Connect> c = connects(run("6.1", reuse, 1, nodest, change, true));
        assertThat(c).hasSize(3);
        assertThat(c.get(0).backend()).isEqualTo(RS2);
        if (expected.equals("TIMEOUT")) {
            assertThat(c.get(1).result()).isEqualTo("APP_TIMEOUT");
        } else {
            assertThat(c.get(1).result()).isEqualTo("OK");
            assertThat(c.get(1).backend()).isEqualTo(expected.equals("RS1") ? RS1 : RS2);
            assertThat(c.get(1).synRetransmissions()).isEqualTo(retx);
            if (change.equals("weight0") && nodest == 1) {
                assertThat(c.get(1).connectMs()).isBetween(1000.0, 1001.0);
            } else if (change.equals("weight0")) {
                // challenge ACK, RST, SYN again after TCP_TIMEOUT_MIN (8 ms at HZ=250)
                assertThat(c.get(1).connectMs()).isBetween(8.0, 10.0);
            } else {
                assertThat(c.get(1).connectMs()).isLessThan(1.0);
            }
        }
        assertThat(c.get(2).backend()).isEqualTo(RS1);
    }
}
