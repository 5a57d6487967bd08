package io.svclab.run;

import io.svclab.net.trace.Trace;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-kernel oracle's conntrack scenarios S0–S6 (shared oracle README part A and
 * fixtures/iptables-reuse-nth.transcript.txt, Linux 6.18), replayed as scripted scenarios through
 * the whole model: client and backend TCP stacks, the node's conntrack, NAT and the oracle's own
 * kube-proxy-style rules with {@code statistic --mode nth}. Addresses are this model's (client
 * 10.244.1.4, be1 10.244.1.2, be2 10.244.1.3, ClusterIP 10.96.0.10); the oracle's were 10.250.x.
 */
class OracleScenariosTest {

    private static final String RULES_HEAD = String.join("\n",
            "*nat",
            ":KUBE-SERVICES - [0:0]",
            ":KUBE-SVC-ORACLE - [0:0]",
            ":KUBE-SEP-BE1 - [0:0]",
            ":KUBE-SEP-BE2 - [0:0]",
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A KUBE-SEP-BE1 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.244.1.2:8080",
            "-A KUBE-SEP-BE2 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.244.1.3:8080",
            "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment \"default/oracle cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ORACLE");

    /** Both backends, nth alternating (the oracle's rules). */
    private static final String BOTH = RULES_HEAD + "\n"
            + "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be1\" -m statistic --mode nth --every 2 --packet 0 -j KUBE-SEP-BE1\n"
            + "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be2\" -j KUBE-SEP-BE2\n"
            + "COMMIT\n";

    /** be1 removed from the service: only be2. */
    private static final String ONLY_BE2 = "*nat\n:KUBE-SVC-ORACLE - [0:0]\n"
            + "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be2\" -j KUBE-SEP-BE2\nCOMMIT\n";

    private static String block(String text) {
        StringBuilder b = new StringBuilder("|\n");
        for (String l : text.split("\n")) {
            b.append("      ").append(l).append('\n');
        }
        return b.toString();
    }

    /** One-node cluster, mode none, the oracle's rules installed at t=0, then the given steps. */
    private static RunResult run(String closer, String clientSysctl, String steps) {
        return run("bridge", closer, clientSysctl, steps);
    }

    private static RunResult run(String cni, String closer, String clientSysctl, String steps) {
        String yaml = String.join("\n",
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
                "    pod: {startup: 0s, readinessDelay: 0s, closer: " + closer + "}",
                "clients:",
                "  - name: client",
                "    target: oracle",
                "    connectionsPerSecond: 0",
                "    timeout: 0s",
                "    sysctl: {" + clientSysctl + "}",
                "steps:",
                "  - iptables-restore: " + block(BOTH).stripTrailing(),
                steps,
                "");
        return new Runner(ScenarioLoader.loadText("oracle.yaml", yaml, List.of()), Trace.NONE)
                .run(0, () -> 0);
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

    private static List<String> backends(RunResult r) {
        List<String> out = new ArrayList<>();
        for (StepResult.Connect c : connects(r)) {
            out.add(c.backend());
        }
        return out;
    }

    private static List<String> dumps(RunResult r) {
        List<String> out = new ArrayList<>();
        for (RunResult.Dump d : r.dumps()) {
            out.add(d.text().strip());
        }
        return out;
    }

    private static String ct(String state, int timeout, int sport, String backend) {
        return "tcp      6 " + timeout + " " + state + " src=10.244.1.4 dst=10.96.0.10 sport=" + sport
                + " dport=80 src=" + backend + " dst=10.244.1.4 sport=8080 dport=" + sport + " [ASSURED] mark=0 use=1";
    }

    private static final String BE1 = "10.244.1.2";
    private static final String BE2 = "10.244.1.3";

    @Test
    void s0SixConnectionsFromTheSamePortAlternateBecauseNatIsRecomputedOnEachReopen() {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            steps.append("  - connect: {client: client, sport: 40000}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        }
        RunResult r = run("server", "", steps.toString());
        assertThat(backends(r)).containsExactly(BE1 + ":8080", BE2 + ":8080", BE1 + ":8080", BE2 + ":8080",
                BE1 + ":8080", BE2 + ":8080");
        assertThat(dumps(r)).containsExactly(ct("TIME_WAIT", 119, 40000, BE1), ct("TIME_WAIT", 119, 40000, BE2),
                ct("TIME_WAIT", 119, 40000, BE1), ct("TIME_WAIT", 119, 40000, BE2), ct("TIME_WAIT", 119, 40000, BE1),
                ct("TIME_WAIT", 119, 40000, BE2));
    }

    @Test
    void s1ServerClosesFirstAndTheRemovedBackendIsNotChosenOnReuse() {
        RunResult r = run("server", "", "  - connect: {client: client, sport: 40001}\n  - wait: 100ms\n  - dump: [conntrack]\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - connect: {client: client, sport: 40001}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        assertThat(backends(r)).containsExactly(BE1 + ":8080", BE2 + ":8080");
        assertThat(dumps(r)).containsExactly(ct("TIME_WAIT", 119, 40001, BE1), ct("TIME_WAIT", 119, 40001, BE2));
    }

    @Test
    void s2ClientClosesFirstWithTwReuseAndTheRemovedBackendIsNotChosenOnReuse() {
        RunResult r = run("client", "net.ipv4.tcp_tw_reuse: 1",
                "  - connect: {client: client, sport: 40002}\n  - wait: 100ms\n  - dump: [conntrack]\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - wait: 1500ms\n"
                + "  - connect: {client: client, sport: 40002}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        assertThat(backends(r)).containsExactly(BE1 + ":8080", BE2 + ":8080");
        assertThat(dumps(r)).containsExactly(ct("TIME_WAIT", 119, 40002, BE1), ct("TIME_WAIT", 119, 40002, BE2));
    }

    @Test
    void s3ClientResetLeavesCloseAndTheReuseIsRecomputed() {
        RunResult r = run("client", "", "  - connect: {client: client, sport: 40003, close: rst}\n  - wait: 100ms\n"
                + "  - dump: [conntrack]\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - connect: {client: client, sport: 40003, close: rst}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        assertThat(backends(r)).containsExactly(BE1 + ":8080", BE2 + ":8080");
        assertThat(dumps(r)).containsExactly(ct("CLOSE", 9, 40003, BE1), ct("CLOSE", 9, 40003, BE2));
    }

    @Test
    void s4AnEstablishedConnectionKeepsItsBackendAfterTheRulesDropIt() {
        RunResult r = run("client", "", "  - connect: {client: client, sport: 40004, hold: 2s}\n  - wait: 100ms\n"
                + "  - dump: [conntrack]\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - wait: 2500ms\n  - dump: [conntrack]\n");
        assertThat(backends(r)).containsExactly(BE1 + ":8080");
        assertThat(dumps(r)).containsExactly(ct("ESTABLISHED", 431999, 40004, BE1), ct("TIME_WAIT", 119, 40004, BE1));
    }

    @Test
    void s5StaleEstablishedEntryFollowsTheOldDnatUntilTheChallengeAckResetReopensIt() {
        RunResult r = run("client", "", "  - connect: {client: client, sport: 40005, hold: 600s}\n  - wait: 100ms\n"
                + "  - dump: [conntrack]\n"
                + "  - vanish: {client: client, sport: 40005}\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - connect: {client: client, sport: 40005}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        assertThat(backends(r)).containsExactly(BE1 + ":8080", BE2 + ":8080");
        List<StepResult.Connect> c = connects(r);
        // oracle: connect_ms=9 (challenge ACK from be1, client RST, SYN again after TCP_TIMEOUT_MIN)
        assertThat(c.get(1).result()).isEqualTo("OK");
        assertThat(c.get(1).connectMs()).isBetween(8.0, 10.0);
        assertThat(dumps(r)).containsExactly(ct("ESTABLISHED", 431999, 40005, BE1), ct("TIME_WAIT", 119, 40005, BE2));
    }

    /**
     * The oracle makes be1 "dead" by taking its eth0 down; its backends sit on veth pairs, so the
     * node's end loses carrier, forgets be1's MAC and the SYN that follows the old DNAT waits for
     * three unanswered ARP probes: EHOSTUNREACH after 3073 ms on the real kernel.
     */
    @Test
    void s6StaleEstablishedEntryToADeadBackendGivesNoRouteToHostUntilConntrackDeletesIt() {
        RunResult r = run("ptp", "client", "", "  - connect: {client: client, sport: 40006, hold: 600s}\n"
                + "  - wait: 100ms\n  - dump: [conntrack]\n"
                + "  - vanish: {client: client, sport: 40006}\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - linkDown: be-0\n"
                + "  - connect: {client: client, sport: 40006}\n  - dump: [conntrack]\n"
                + "  - conntrack: \"-D -p tcp --orig-port-src 40006\"\n"
                + "  - connect: {client: client, sport: 40006}\n  - wait: 100ms\n  - dump: [conntrack]\n");
        List<StepResult.Connect> c = connects(r);
        assertThat(c).extracting(StepResult.Connect::result).containsExactly("OK", "EHOSTUNREACH", "OK");
        assertThat(c.get(0).backend()).isEqualTo(BE1 + ":8080");
        // three ARP probes one second apart, then ICMP host unreachable back through the node
        assertThat(c.get(1).connectMs()).isBetween(3000.0, 3001.0);
        assertThat(c.get(1).synRetransmissions()).isEqualTo(3); // SYNs at 0, 1, 2, 3 s (linear timeouts)
        assertThat(c.get(2).backend()).isEqualTo(BE2 + ":8080");
        // the stale entry kept the old DNAT and its timeout (431999 - 3 s, as the oracle's 431996)
        assertThat(dumps(r)).containsExactly(ct("ESTABLISHED", 431999, 40006, BE1), ct("ESTABLISHED", 431996, 40006, BE1),
                ct("TIME_WAIT", 119, 40006, BE2));
    }

    /**
     * A deleted pod on a bridge: the node still holds be1's MAC, so the SYNs that follow the old
     * DNAT vanish without an error until the neighbour entry fails (spec §7.5): the client times
     * out silently first, unlike the oracle's link-down backend.
     */
    @Test
    void deletedPodOnABridgeSwallowsTheSynsThatFollowTheOldDnat() {
        RunResult r = run("bridge", "client", "", "  - connect: {client: client, sport: 40006, hold: 600s}\n"
                + "  - vanish: {client: client, sport: 40006}\n"
                + "  - iptables-restore: " + block(ONLY_BE2)
                + "  - deletePod: be-0\n"
                + "  - connect: {client: client, sport: 40006}\n");
        List<StepResult.Connect> c = connects(r);
        // still retransmitting into the void when the 30 s run ends
        assertThat(c).extracting(StepResult.Connect::result).containsExactly("OK", "RUNNING");
    }
}
