package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.RST;
import static io.svclab.net.TcpFlags.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code conntrack -E} events of the simulated node against the real ones of the oracle
 * (fixtures/iptables-reuse-nth.ct-events.txt), timestamps and ids aside.
 */
class EventsTest {

    private static List<String> fixtureEvents(int count) throws IOException {
        try (InputStream in = EventsTest.class.getResourceAsStream("/oracle/iptables-reuse-nth.ct-events.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\n")).limit(count)
                    .map(l -> l.substring(l.indexOf("]\t") + 2).replaceAll(" id=\\d+$", "")).toList();
        }
    }

    @Test
    void s0TwoConnectionsFromOnePortProduceTheKernelsEventSequence() throws IOException {
        Node n = new Node();
        List<String> events = new ArrayList<>();
        n.table.addEventListener((type, ct, now) -> events.add(CtFormat.eventLine(type, ct, now, false)));
        String be = n.handshake(40000);
        n.requestAndServerClose(40000, be);
        n.advance(0.435);
        String be2 = n.handshake(40000);
        n.requestAndServerClose(40000, be2);
        assertThat(events).containsExactlyElementsOf(fixtureEvents(13));
    }

    @Test
    void eventLinesWithIdAndDestroyOfAnUnrepliedEntry() {
        Node n = new Node();
        List<String> events = new ArrayList<>();
        n.table.addEventListener((type, ct, now) -> events.add(CtFormat.eventLine(type, ct, now, true)));
        n.client(40000, SYN, 1000, 0);
        long id = n.entry(40000).id;
        n.server(Node.BE1, 40000, RST | io.svclab.net.TcpFlags.ACK, 0, 1001);
        assertThat(events).containsExactly(
                "    [NEW] tcp      6 120 SYN_SENT src=10.250.1.2 dst=10.250.100.100 sport=40000 dport=80 [UNREPLIED] "
                        + "src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40000 id=" + id,
                // the RST is committed (state CLOSE) before the unreplied entry is killed, timeout untouched
                "[DESTROY] tcp      6 120 CLOSE src=10.250.1.2 dst=10.250.100.100 sport=40000 dport=80 [UNREPLIED] "
                        + "src=10.250.2.2 dst=10.250.1.2 sport=8080 dport=40000 id=" + id);
    }
}
