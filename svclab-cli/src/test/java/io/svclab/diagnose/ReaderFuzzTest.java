package io.svclab.diagnose;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzz tests of every dump reader and of the scenario loader (property in
 * {@link FuzzTargets}). Under {@code mvn verify} they run in regression mode: every input of
 * {@code src/test/resources/io/svclab/diagnose/ReaderFuzzTestInputs/<method>/} (seeded from the
 * oracle fixtures) once. To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn -o -pl svclab-cli -am test -Dtest=ReaderFuzzTest#ipvsConns -Dsurefire.failIfNoSpecifiedTests=false}
 * (one method at a time; {@code maxDuration} bounds each run); a crash is written next to the
 * corpus and replayed from then on. The bounded mutation loop of {@link MutationFuzzTest} is what
 * actually explores new inputs in every build.
 */
class ReaderFuzzTest {

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "60s")
    void conntrack(byte[] data) {
        FuzzTargets.conntrack(text(data));
    }

    @FuzzTest(maxDuration = "60s")
    void ipvsList(byte[] data) {
        FuzzTargets.ipvsList(text(data));
    }

    @FuzzTest(maxDuration = "60s")
    void ipvsConns(byte[] data) {
        FuzzTargets.ipvsConns(text(data));
    }

    @FuzzTest(maxDuration = "60s")
    void sysctl(byte[] data) {
        FuzzTargets.sysctl(text(data));
    }

    @FuzzTest(maxDuration = "60s")
    void iptables(byte[] data) {
        FuzzTargets.iptables(text(data));
    }

    @FuzzTest(maxDuration = "60s")
    void scenario(byte[] data) {
        FuzzTargets.scenario(text(data));
    }
}
