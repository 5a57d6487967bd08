package io.svclab.bench;

import io.svclab.net.EmbeddedDirector;
import io.svclab.net.IpProto;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsConn;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lookups in the conntrack table ({@link ConntrackTable#lookup}, the ORIGINAL tuple of an open
 * flow: {@code __nf_conntrack_find_get}) and in the IPVS connection table ({@link Ipvs#connection},
 * {@code ip_vs_conn_in_get}) of a director holding {@code flows} flows, and a lookup of both for
 * one packet (the two table accesses a forwarded packet makes). Misses ({@code conntrackMiss}) look
 * up tuples of ports never used. Insert, schedule and expiry are measured through the hooks by
 * {@link HookChainBench#newFlow()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TablesBench {

    private static final int BATCH = 1000;

    @Param({"1000", "1000000"})
    public int flows;

    private ConntrackTable ct;
    private Ipvs ipvs;
    private int vip;
    private int next;
    /** Flow indices in a scattered order, so lookups do not walk memory in insertion order. */
    private int[] order;

    @Setup
    public void setup() {
        EmbeddedDirector d = new EmbeddedDirector("5.10", flows + 16);
        for (int i = 0; i < flows; i++) {
            d.segment(i, TcpFlags.SYN);
        }
        ct = d.conntrack();
        ipvs = d.ipvs();
        vip = d.vip();
        order = new int[flows];
        long x = 12345;
        for (int i = 0; i < flows; i++) {
            order[i] = i;
        }
        for (int i = flows - 1; i > 0; i--) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            int j = (int) ((x >>> 33) % (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (ct.lookup(IpProto.TCP, EmbeddedDirector.clientAddr(0), vip, EmbeddedDirector.clientPort(0), 80) == null
                || ipvs.connection(IpProto.TCP, EmbeddedDirector.clientAddr(0), EmbeddedDirector.clientPort(0), vip,
                80) == null) {
            throw new IllegalStateException("the director did not track the flows");
        }
    }

    private int nextFlow() {
        int n = next;
        next = n + 1 == flows ? 0 : n + 1;
        return order[n];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void conntrackLookup(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            int f = nextFlow();
            Conn c = ct.lookup(IpProto.TCP, EmbeddedDirector.clientAddr(f), vip, EmbeddedDirector.clientPort(f), 80);
            bh.consume(c);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void conntrackMiss(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            int f = nextFlow();
            bh.consume(ct.lookup(IpProto.TCP, EmbeddedDirector.clientAddr(f), vip, EmbeddedDirector.clientPort(f), 81));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ipvsLookup(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            int f = nextFlow();
            IpvsConn c = ipvs.connection(IpProto.TCP, EmbeddedDirector.clientAddr(f), EmbeddedDirector.clientPort(f),
                    vip, 80);
            bh.consume(c);
        }
    }

    /** Conntrack lookup + IPVS lookup of one packet's tuple. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void conntrackAndIpvsLookup(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            int f = nextFlow();
            int a = EmbeddedDirector.clientAddr(f);
            int p = EmbeddedDirector.clientPort(f);
            bh.consume(ct.lookup(IpProto.TCP, a, vip, p, 80));
            bh.consume(ipvs.connection(IpProto.TCP, a, p, vip, 80));
        }
    }
}
