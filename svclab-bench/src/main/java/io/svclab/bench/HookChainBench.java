package io.svclab.bench;

import io.svclab.net.EmbeddedDirector;
import io.svclab.net.TcpFlags;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet through the whole receive path of an IPVS director ({@link EmbeddedDirector}):
 * PREROUTING (conntrack lookup, NAT), LOCAL_IN (IPVS lookup, DNAT to the real server),
 * forwarding, POSTROUTING (confirm) and the link out. {@code established}: a client ACK of one of
 * {@code flows} flows past their handshake (conntrack and IPVS entries hit; the steady state of a connection, 0
 * B/op expected with {@code -prof gc}). {@code newFlow}: the SYN of a flow never seen, which
 * creates a conntrack entry, schedules a real server and creates an IPVS entry; the clock moves 1
 * ms per SYN so that entries expire as fast as they come (insert + expire in the steady state).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HookChainBench {

    private static final int BATCH = 1000;

    /** Open flows in the tables. */
    @Param({"1000", "100000"})
    public int flows;

    private EmbeddedDirector d;
    private int next;
    private int fresh;

    @Setup
    public void setup() {
        d = new EmbeddedDirector("5.10", 4_000_000);
        for (int i = 0; i < flows; i++) {
            d.open(i);
        }
        fresh = flows;
    }

    /** A client ACK of an open flow. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void established() {
        int n = next;
        for (int i = 0; i < BATCH; i++) {
            d.segment(n, TcpFlags.ACK);
            if (++n == flows) {
                n = 0;
            }
        }
        next = n;
    }

    /** The SYN of a new flow; 1 ms of simulated time per SYN, so old entries expire. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void newFlow() {
        for (int i = 0; i < BATCH; i++) {
            d.segment(fresh, TcpFlags.SYN);
            fresh = fresh + 1 == 60 * EmbeddedDirector.PORTS ? flows : fresh + 1;
        }
        d.runFor(BATCH * 1_000_000L);
    }
}
