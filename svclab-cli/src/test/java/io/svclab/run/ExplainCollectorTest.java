package io.svclab.run;

import io.svclab.net.Ip4;
import io.svclab.net.tcp.ConnectResult;
import io.svclab.net.tcp.ConnectionRecord;
import io.svclab.net.tcp.TcpDecision;
import io.svclab.net.tcp.TcpStack;
import io.svclab.net.trace.Trace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's bookkeeping: which connections it keeps, in which order, how much of each. */
class ExplainCollectorTest {

    private static final long S = 1_000_000_000L;
    private static final int VIP = Ip4.parse("10.96.0.10");

    private static void open(ExplainCollector c, long flow, long t) {
        c.emit(new TcpDecision(t, "caller-0", flow, TcpStack.SYN_SENT));
    }

    private static void end(ExplainCollector c, long flow, ConnectResult r, long start, long end, int rtx) {
        c.emit(new ConnectionRecord("caller-0", r, start, end - start, end, rtx, 40000 + (int) flow, VIP, 80, flow));
    }

    @Test
    void keepsTheFirstStartedFailuresWhateverOrderTheyEnded() {
        ExplainCollector c = new ExplainCollector(2, Trace.NONE);
        open(c, 1, 1 * S);
        open(c, 2, 2 * S);
        open(c, 3, 3 * S);
        open(c, 4, 4 * S);
        open(c, 5, 5 * S);
        end(c, 5, ConnectResult.ETIMEDOUT, 5 * S, 6 * S, 1);   // ends first, started last
        end(c, 4, ConnectResult.OK, 4 * S, 7 * S, 0);          // fine: not kept
        end(c, 3, ConnectResult.OK, 3 * S, 8 * S, 2);          // delayed
        end(c, 1, ConnectResult.APP_TIMEOUT, 1 * S, 9 * S, 1);
        end(c, 2, ConnectResult.OK, 2 * S, 10 * S, 0);
        assertThat(c.liveConnections()).isZero();
        List<Explanation> x = c.explanations(name -> Ip4.parse("10.244.1.5"));
        assertThat(x).extracting(Explanation::client).containsExactly("10.244.1.5:40001", "10.244.1.5:40003");
        assertThat(x).extracting(Explanation::result).containsExactly("APP_TIMEOUT", "OK");
        assertThat(x.get(0).chain()).extracting(Explanation.Decision::what)
                .containsExactly("tcp: SYN sent", "APP_TIMEOUT: the client's own timeout fired after 8.000 s,"
                        + " 1 SYN retransmission");
    }

    @Test
    void aLongChainKeepsItsLatestDecisionsAndCountsTheOthers() {
        ExplainCollector c = new ExplainCollector(1, Trace.NONE);
        open(c, 7, 0);
        for (int i = 1; i <= 100; i++) {
            c.emit(new TcpDecision(i * S, "caller-0", 7, "step " + i));
        }
        end(c, 7, ConnectResult.ETIMEDOUT, 0, 101 * S, 6);
        Explanation x = c.explanations(name -> null).get(0);
        // 101 events, a ring of 64: 37 not kept, counted on the first line
        assertThat(x.chain()).hasSize(1 + 64 + 1);
        assertThat(x.chain().get(0).what()).isEqualTo("37 earlier decisions of this connection not kept (ring of 64)");
        assertThat(x.chain().get(1).what()).isEqualTo("tcp: step 37");
        assertThat(x.chain().get(64).what()).isEqualTo("tcp: step 100");
        assertThat(x.client()).isEqualTo("caller-0:40007");
    }

    @Test
    void eventsOfConnectionsItDoesNotFollowAreNotWanted() {
        ExplainCollector c = new ExplainCollector(1, Trace.NONE);
        assertThat(c.packets()).isFalse();
        assertThat(c.wants(9)).isFalse();
        assertThat(c.wants(0)).isTrue();
        open(c, 9, 0);
        assertThat(c.wants(9)).isTrue();
        end(c, 9, ConnectResult.OK, 0, S, 0);
        assertThat(c.wants(9)).isFalse();
        assertThat(c.explanations(name -> null)).isEmpty();
    }
}
