package io.svclab.net.conntrack;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per cell of both TCP transition tables. The expected values are the tables of spec
 * §3.2 and §3.3 copied literally (not generated from the implementation's table).
 */
class TcpConntrackTableTest {

    /** Spec §3.2, ORIGINAL direction. */
    static final String ORIGINAL = """
            | flag \\ old | NONE | SYN_SENT | SYN_RECV | ESTAB | FIN_WAIT | CLOSE_WAIT | LAST_ACK | TIME_WAIT | CLOSE | SYN_SENT2 |
            | syn | SYN_SENT | SYN_SENT | IGN | IGN | IGN | IGN | IGN | SYN_SENT* | SYN_SENT* | SYN_SENT2 |
            | synack | INV | INV | SYN_RECV | INV | INV | INV | INV | INV | INV | SYN_RECV |
            | fin | INV | INV | FIN_WAIT | FIN_WAIT | LAST_ACK | LAST_ACK | LAST_ACK | TIME_WAIT | CLOSE | INV |
            | ack | ESTAB (pickup) | INV | ESTAB | ESTAB | CLOSE_WAIT | CLOSE_WAIT | TIME_WAIT | TIME_WAIT | CLOSE | INV |
            | rst | INV | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE |
            | none | INV | INV | INV | INV | INV | INV | INV | INV | INV | INV |
            """;

    /** Spec §3.3, REPLY direction. */
    static final String REPLY = """
            | flag \\ old | NONE | SYN_SENT | SYN_RECV | ESTAB | FIN_WAIT | CLOSE_WAIT | LAST_ACK | TIME_WAIT | CLOSE | SYN_SENT2 |
            | syn | INV | SYN_SENT2 | INV | INV | INV | INV | INV | SYN_SENT* | INV | SYN_SENT2 |
            | synack | INV | SYN_RECV | IGN | IGN | IGN | IGN | IGN | IGN | IGN | SYN_RECV |
            | fin | INV | INV | FIN_WAIT | FIN_WAIT | LAST_ACK | LAST_ACK | LAST_ACK | TIME_WAIT | CLOSE | INV |
            | ack | INV | IGN | SYN_RECV | ESTAB | CLOSE_WAIT | CLOSE_WAIT | TIME_WAIT | TIME_WAIT | CLOSE | IGN |
            | rst | INV | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE | CLOSE |
            | none | INV | INV | INV | INV | INV | INV | INV | INV | INV | INV |
            """;

    static Stream<Arguments> cells() {
        List<Arguments> out = new ArrayList<>();
        addCells(out, "ORIGINAL", TcpConntrackTable.ORIGINAL, ORIGINAL);
        addCells(out, "REPLY", TcpConntrackTable.REPLY, REPLY);
        return out.stream();
    }

    private static void addCells(List<Arguments> out, String dirName, int dir, String table) {
        String[] lines = table.strip().split("\n");
        String[] header = cols(lines[0]);
        for (int r = 1; r < lines.length; r++) {
            String[] c = cols(lines[r]);
            for (int k = 1; k < c.length; k++) {
                out.add(Arguments.of(dirName, dir, c[0], header[k], c[k]));
            }
        }
    }

    private static String[] cols(String line) {
        String t = line.strip();
        t = t.substring(1, t.length() - 1);
        String[] parts = t.split("\\|");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    private static int flag(String f) {
        return switch (f) {
            case "syn" -> TcpConntrackTable.SYN_SET;
            case "synack" -> TcpConntrackTable.SYNACK_SET;
            case "fin" -> TcpConntrackTable.FIN_SET;
            case "ack" -> TcpConntrackTable.ACK_SET;
            case "rst" -> TcpConntrackTable.RST_SET;
            case "none" -> TcpConntrackTable.NONE_SET;
            default -> throw new IllegalArgumentException(f);
        };
    }

    private static String canonical(String specName) {
        String s = specName.replace("*", "").replace(" (pickup)", "");
        return switch (s) {
            case "ESTAB" -> "ESTABLISHED";
            case "INV" -> "INVALID";
            case "IGN" -> "IGNORE";
            default -> s;
        };
    }

    @ParameterizedTest(name = "{0} {2} in {3} -> {4}")
    @MethodSource("cells")
    void transition(String dirName, int dir, String flag, String old, String expected) {
        int oldState = TcpConntrackTable.byName(canonical(old));
        assertThat(oldState).as("state %s", old).isNotNegative();
        assertThat(TcpConntrackTable.name(TcpConntrackTable.next(dir, flag(flag), oldState)))
                .isEqualTo(canonical(expected));
    }
}
