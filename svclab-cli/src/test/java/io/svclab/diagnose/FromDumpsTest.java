package io.svclab.diagnose;

import io.svclab.net.trace.Trace;
import io.svclab.run.RunResult;
import io.svclab.run.Runner;
import io.svclab.run.SeededRunner;
import io.svclab.run.StepResult;
import io.svclab.scenario.Scenario;
import io.svclab.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code run --from-dumps}: a node whose dumps show a TIME_WAIT entry of client port 40000 (IPVS
 * and conntrack), replayed on 4.19 with conn_reuse_mode=1 and conntrack=1: the scenario's connect
 * from that port is dropped once and retransmitted 1 s later (spec §7 F1); without the dumps it is
 * not delayed.
 */
class FromDumpsTest {

    static final String YAML = String.join("\n",
            "name: fd", "duration: 8s", "kernel: \"4.19\"", "proxy: {mode: ipvs}",
            "services:", "  - {name: backend, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
            "deployments:", "  - name: backend", "    service: backend", "    replicas: 2",
            "    podIPs: [10.244.1.2, 10.244.1.3]", "    pod: {startup: 0s, readinessDelay: 0s}",
            "clients:", "  - {name: caller, target: backend, connectionsPerSecond: 0, timeout: 5s}",
            "steps:", "  - wait: 2s", "  - connect: {client: caller, sport: 40000}", "");

    @TempDir
    Path dir;

    private StepResult.Connect connect(Runner r) {
        RunResult res = r.run(0, () -> 0);
        return res.steps().stream().filter(s -> s.connect() != null).findFirst().orElseThrow().connect();
    }

    @Test
    void theSeededTimeWaitEntryDelaysTheReusedPortBy1s() throws IOException, DumpException {
        Files.writeString(dir.resolve("ipvsadm-Lnc.txt"), "IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 01:50  TIME_WAIT   10.244.1.4:40000   10.96.0.10:80      10.244.1.3:8080\n"
                + "TCP 01:50  TIME_WAIT   10.244.1.4:40001   10.96.0.99:80      10.244.1.3:8080\n");
        Files.writeString(dir.resolve("nf_conntrack.txt"), "ipv4     2 tcp      6 110 TIME_WAIT src=10.244.1.4"
                + " dst=10.96.0.10 sport=40000 dport=80 src=10.244.1.3 dst=10.244.1.4 sport=8080 dport=40000 [ASSURED]"
                + " mark=0 zone=0 use=2\n");
        Files.writeString(dir.resolve("sysctl-a.txt"), "net.ipv4.vs.conntrack = 1\nnet.ipv4.vs.conn_reuse_mode = 1\n");
        Scenario s = ScenarioLoader.loadText("fd.yaml", YAML, List.of());
        FromDumps fd = FromDumps.load(dir, s.kernelProfile());

        StepResult.Connect seeded = connect(SeededRunner.of(s, Trace.NONE, fd::seed));
        assertThat(seeded.result()).isEqualTo("OK");
        assertThat(seeded.synRetransmissions()).isEqualTo(1);
        assertThat(seeded.connectMs()).isBetween(1000.0, 1001.0);
        assertThat(fd.warnings()).containsExactly(
                "entries of services that the scenario does not have are not seeded (10.96.0.99:80)",
                "pods, their sockets and the other nodes come from the scenario, not from the dumps");

        StepResult.Connect plain = connect(new Runner(s, Trace.NONE));
        assertThat(plain.synRetransmissions()).isZero();
        assertThat(plain.connectMs()).isLessThan(1.0);
    }

    @Test
    void aFolderWithoutDumpsOrWithABadLineIsAUserError() throws IOException {
        assertThatThrownBy(() -> FromDumps.load(dir, io.svclab.kernel.KernelProfiles.get("6.1")))
                .isInstanceOf(DumpException.class).hasMessageContaining("expected at least one of ipvsadm-Ln.txt");
        Files.writeString(dir.resolve("sysctl-a.txt"), "net.ipv4.vs.conntrack = 1\nbroken\n");
        assertThatThrownBy(() -> FromDumps.load(dir, io.svclab.kernel.KernelProfiles.get("6.1")))
                .hasMessage(dir.resolve("sysctl-a.txt") + ":2: expected KEY = VALUE as sysctl -a prints it: broken");
    }
}
