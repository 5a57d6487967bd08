package io.svclab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FuzzTest {

    private static final byte[] ALPHABET = ":-[]{},#&*!|>'\"%@` \t\n0123456789.abcxyzs".getBytes(StandardCharsets.US_ASCII);

    private static final String[] SET_KEYS = {"seed", "proxy.mode", "steps.0.connect.sport", "steps.3.wait",
        "sysctl.net.ipv4.tcp_tw_reuse", "clients.0", "deployments.0.pod", "kernelFeatures.X", "events.1.scale.replicas"};
    private static final String[] SET_VALUES = {"", "1", "[", "{a: 1}", "&a [*a]", "null", "\"x", "-1", "0x10", "1e999",
        "!!int x"};

    @Test
    void mutatedScenariosOnlyEverThrowScenarioException() throws IOException {
        byte[] valid;
        try (InputStream in = FuzzTest.class.getResourceAsStream("/scenario/contract-example.yaml")) {
            valid = in.readAllBytes();
        }
        int loaded = 0;
        int rejected = 0;
        for (long seed = 1; seed <= 2000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] b = mutate(valid, r);
            List<String> sets = r.nextInt(4) == 0 ? List.of(SET_KEYS[r.nextInt(SET_KEYS.length)] + "="
                    + SET_VALUES[r.nextInt(SET_VALUES.length)], "kernel=5.10") : List.of();
            try {
                ScenarioLoader.loadText("fuzz.yaml", new String(b, StandardCharsets.UTF_8), sets);
                loaded++;
            } catch (ScenarioException e) {
                assertThat(e.problems()).isNotEmpty();
                assertThat(e.problems()).noneMatch(p -> p.message().startsWith("cannot load"));
                rejected++;
            }
        }
        assertThat(loaded + rejected).isEqualTo(2000);
        assertThat(rejected).isPositive();
    }

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int at = r.nextInt(b.length + 1);
            int kind = r.nextInt(3);
            byte c = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : ALPHABET[r.nextInt(ALPHABET.length)];
            if (kind == 0 && b.length > 0 && at < b.length) {
                byte[] n = new byte[b.length - 1];
                System.arraycopy(b, 0, n, 0, at);
                System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                b = n;
            } else if (kind == 1 || at == b.length) {
                byte[] n = new byte[b.length + 1];
                System.arraycopy(b, 0, n, 0, at);
                n[at] = c;
                System.arraycopy(b, at, n, at + 1, b.length - at);
                b = n;
            } else {
                b[at] = c;
            }
        }
        return b;
    }
}
