package io.svclab.diagnose;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded mutation fuzzer that runs in every {@code mvn verify}: for each target of
 * {@link FuzzTargets}, inputs derived from the Jazzer corpus (the oracle fixtures) by seeded
 * random mutations (byte flips, insertions and deletions of bytes, tokens and lines, truncation,
 * splicing, huge numbers) until {@value #ITERATIONS} inputs or {@value #BUDGET_MS} ms, whichever
 * comes first (about 10 s in all for the six targets). Seeds are fixed, so a failure names the
 * seed and the input. Longer runs: {@code -Dsvclab.fuzz.ms=60000} per target, or Jazzer's own
 * engine (see {@link ReaderFuzzTest}).
 */
class MutationFuzzTest {

    static final int ITERATIONS = 4000;
    static final long BUDGET_MS = 4000;

    private static final String[] TOKENS = {" ", "\t", "\n", ":", "=", "->", "[", "]", "(", ")", "0", "-1",
        "99999999999999999999", "65536", "4294967296", "0AFA0102", "ZZZZ", "TIME_WAIT", "ESTABLISHED", "NONE",
        "sport=", "dport=", "src=", "dst=", "[ASSURED]", "[UNREPLIED]", "ipv4", "ipv6", "tcp", "udp", "6", "17",
        "TCP", "UDP", "FWM", "Masq", "Route", "persistent", "mask", "rr", "  -> ", "Prot LocalAddress:Port Conns",
        "Pro FromIP", "IPVS connection entries", "*nat", "COMMIT", "-A ", ":KUBE - [0:0]", "-j DNAT --to-destination ",
        "net.ipv4.vs.conn_reuse_mode", " = ", "{", "}", "- ", "&a", "*a", "!!int", "\u00e9", "\u0000", "\r"};

    static List<String> corpus(String target) {
        try {
            Path dir = Path.of(MutationFuzzTest.class.getResource("ReaderFuzzTestInputs/" + target).toURI());
            List<String> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.sorted().toList()) {
                    out.add(Files.readString(p, StandardCharsets.UTF_8));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mutate(String s, List<String> corpus, Random r) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int len = b.length();
            int at = len == 0 ? 0 : r.nextInt(len + 1);
            switch (r.nextInt(9)) {
                case 0: // flip a character
                    if (len > 0 && at < len) {
                        b.setCharAt(at, (char) (b.charAt(at) ^ (1 << r.nextInt(7))));
                    }
                    break;
                case 1: // delete a run
                    if (len > 0 && at < len) {
                        b.delete(at, Math.min(len, at + 1 + r.nextInt(12)));
                    }
                    break;
                case 2: // insert a token
                    b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                    break;
                case 3: // truncate
                    b.setLength(at);
                    break;
                case 4: { // duplicate a line
                    String[] lines = b.toString().split("\n", -1);
                    int i = r.nextInt(lines.length);
                    b.insert(Math.min(at, b.length()), lines[i] + "\n");
                    break;
                }
                case 5: { // splice another corpus input
                    String o = corpus.get(r.nextInt(corpus.size()));
                    int from = o.isEmpty() ? 0 : r.nextInt(o.length());
                    b.insert(at, o, from, Math.min(o.length(), from + r.nextInt(200)));
                    break;
                }
                case 6: // replace a digit run with a huge or negative number
                    for (int i = at; i < len; i++) {
                        if (Character.isDigit(b.charAt(i))) {
                            int j = i;
                            while (j < b.length() && Character.isDigit(b.charAt(j))) {
                                j++;
                            }
                            b.replace(i, j, TOKENS[12 + r.nextInt(4)]);
                            break;
                        }
                    }
                    break;
                case 7: // random byte
                    b.insert(at, (char) r.nextInt(128));
                    break;
                default: // swap two lines
                    String[] lines = b.toString().split("\n", -1);
                    if (lines.length > 1) {
                        int i = r.nextInt(lines.length);
                        int j = r.nextInt(lines.length);
                        String t = lines[i];
                        lines[i] = lines[j];
                        lines[j] = t;
                        b = new StringBuilder(String.join("\n", lines));
                    }
            }
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> noReaderCrashes() {
        long budget = Long.getLong("svclab.fuzz.ms", BUDGET_MS);
        return FuzzTargets.TARGETS.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name, () -> {
            Consumer<String> target = FuzzTargets.TARGETS.get(name);
            List<String> corpus = corpus(name);
            assertThat(corpus).isNotEmpty();
            long seed = name.hashCode();
            Random r = new Random(seed);
            long end = System.nanoTime() + budget * 1_000_000L;
            int runs = 0;
            for (; runs < ITERATIONS * Math.max(1, budget / BUDGET_MS) && System.nanoTime() < end; runs++) {
                String in = mutate(corpus.get(r.nextInt(corpus.size())), corpus, r);
                try {
                    target.accept(in);
                } catch (Throwable t) {
                    throw new AssertionError(name + " (seed " + seed + ", run " + runs + ") crashed on input:\n" + in, t);
                }
            }
            assertThat(runs).isPositive();
        }));
    }
}
