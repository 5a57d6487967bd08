package io.svclab.net.ipvs;

import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per cell of the transition tables, with the rows copied literally from
 * /work/shared/spec/ipvs-kube-proxy.md section 2.3 (normal table) and the defense differences
 * listed there.
 */
class IpvsTcpStatesTest {

    private static final String[] COLUMNS = {"NO", "ES", "SS", "SR", "FW", "TW", "CL", "CW", "LA", "LI", "SA"};

    /** Spec 2.3, normal table, verbatim. */
    private static final String NORMAL = """
            | INPUT syn | SR | ES | ES | SR | SR | SR | SR | SR | SR | SR | SR |
            | INPUT fin | CL | CW | SS | TW | TW | TW | CL | CW | LA | LI | TW |
            | INPUT ack | ES | ES | SS | ES | FW | TW | CL | CW | CL | LI | ES |
            | INPUT rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | SR |
            | OUTPUT syn | SS | ES | SS | SR | SS | SS | SS | SS | SS | LI | SR |
            | OUTPUT fin | TW | FW | SS | TW | FW | TW | CL | TW | LA | LI | TW |
            | OUTPUT ack | ES | ES | SS | ES | FW | TW | CL | CW | LA | ES | ES |
            | OUTPUT rst | CL | CL | SS | CL | CL | TW | CL | CL | CL | CL | CL |
            | INPUT_ONLY syn | SR | ES | ES | SR | SR | SR | SR | SR | SR | SR | SR |
            | INPUT_ONLY fin | CL | FW | SS | TW | FW | TW | CL | CW | LA | LI | TW |
            | INPUT_ONLY ack | ES | ES | SS | ES | FW | TW | CL | CW | CL | LI | ES |
            | INPUT_ONLY rst | CL | CL | CL | SR | CL | CL | CL | CL | LA | LI | CL |
            """;

    /**
     * Spec 2.3, defense table: "INPUT syn from SA → SA; INPUT fin from SA → SA; INPUT ack: SR → SR,
     * SA → SA; INPUT rst from SA → CL; OUTPUT syn from SR → SA; INPUT_ONLY syn from
     * NO/FW/TW/CL/CW/LA/LI/SA → SA; otherwise identical to the normal table".
     */
    private static final String[][] DOS_DIFF = {
        {"INPUT", "syn", "SA", "SA"}, {"INPUT", "fin", "SA", "SA"}, {"INPUT", "ack", "SR", "SR"},
        {"INPUT", "ack", "SA", "SA"}, {"INPUT", "rst", "SA", "CL"}, {"OUTPUT", "syn", "SR", "SA"},
        {"INPUT_ONLY", "syn", "NO", "SA"}, {"INPUT_ONLY", "syn", "FW", "SA"}, {"INPUT_ONLY", "syn", "TW", "SA"},
        {"INPUT_ONLY", "syn", "CL", "SA"}, {"INPUT_ONLY", "syn", "CW", "SA"}, {"INPUT_ONLY", "syn", "LA", "SA"},
        {"INPUT_ONLY", "syn", "LI", "SA"}, {"INPUT_ONLY", "syn", "SA", "SA"},
    };

    private static int dir(String d) {
        return switch (d) {
            case "INPUT" -> IpvsTcpStates.DIR_INPUT;
            case "OUTPUT" -> IpvsTcpStates.DIR_OUTPUT;
            default -> IpvsTcpStates.DIR_INPUT_ONLY;
        };
    }

    private static int flags(String ev) {
        return switch (ev) {
            case "syn" -> TcpFlags.SYN;
            case "fin" -> TcpFlags.FIN;
            case "ack" -> TcpFlags.ACK;
            default -> TcpFlags.RST;
        };
    }

    private static List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (String line : NORMAL.strip().split("\n")) {
            String[] f = line.replace("|", " ").trim().split("\\s+");
            for (int c = 0; c < COLUMNS.length; c++) {
                out.add(new String[] {f[0], f[1], COLUMNS[c], f[2 + c]});
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> normalTableCells() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] c : cells()) {
            tests.add(DynamicTest.dynamicTest(c[0] + " " + c[1] + " from " + c[2] + " -> " + c[3], () ->
                    assertThat(IpvsTcpStates.next(false, dir(c[0]), flags(c[1]), IpvsTcpStates.byAbbreviation(c[2])))
                            .isEqualTo(IpvsTcpStates.byAbbreviation(c[3]))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> defenseTableCells() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] c : cells()) {
            String expected = c[3];
            for (String[] d : DOS_DIFF) {
                if (d[0].equals(c[0]) && d[1].equals(c[1]) && d[2].equals(c[2])) {
                    expected = d[3];
                }
            }
            String want = expected;
            tests.add(DynamicTest.dynamicTest("dos " + c[0] + " " + c[1] + " from " + c[2] + " -> " + want, () ->
                    assertThat(IpvsTcpStates.next(true, dir(c[0]), flags(c[1]), IpvsTcpStates.byAbbreviation(c[2])))
                            .isEqualTo(IpvsTcpStates.byAbbreviation(want))));
        }
        return tests;
    }

    @Test
    void eventIndexIsRstThenSynThenFinThenAck() {
        assertThat(IpvsTcpStates.event(TcpFlags.SYN | TcpFlags.ACK)).isEqualTo(IpvsTcpStates.EVENT_SYN);
        assertThat(IpvsTcpStates.event(TcpFlags.FIN | TcpFlags.ACK)).isEqualTo(IpvsTcpStates.EVENT_FIN);
        assertThat(IpvsTcpStates.event(TcpFlags.RST | TcpFlags.ACK)).isEqualTo(IpvsTcpStates.EVENT_RST);
        assertThat(IpvsTcpStates.event(TcpFlags.RST | TcpFlags.SYN)).isEqualTo(IpvsTcpStates.EVENT_RST);
        assertThat(IpvsTcpStates.next(false, IpvsTcpStates.DIR_INPUT, 0, IpvsTcpStates.ESTABLISHED))
                .isEqualTo(IpvsTcpStates.CLOSE);
    }

    @Test
    void defaultTimeoutsOfSpec22() {
        int[] expected = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
        for (int s = 0; s < expected.length; s++) {
            assertThat(IpvsTcpStates.defaultTimeout(s)).as(IpvsTcpStates.name(s)).isEqualTo(expected[s]);
        }
    }

    @Test
    void activeStatesPerVersion() {
        assertThat(IpvsTcpStates.active(IpvsTcpStates.SYN_RECV, true)).isTrue();
        assertThat(IpvsTcpStates.active(IpvsTcpStates.SYN_RECV, false)).isFalse();
        assertThat(IpvsTcpStates.active(IpvsTcpStates.SYNACK, true)).isTrue();
        assertThat(IpvsTcpStates.active(IpvsTcpStates.ESTABLISHED, false)).isTrue();
        assertThat(IpvsTcpStates.active(IpvsTcpStates.TIME_WAIT, true)).isFalse();
    }

    @Test
    void everyRowHasAReason() {
        assertThat(IpvsTcpStates.NORMAL).hasSize(12).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
        assertThat(IpvsTcpStates.DOS).hasSize(12).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
    }
}
