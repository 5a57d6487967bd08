package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** No allocation per packet on existing entries; thresholds set and clear OVERLOAD. */
class IpvsSteadyStateTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void repliesAndDroppedRequestsOnExistingEntriesDoNotAllocate() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        n.client(40000, TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, TcpFlags.SYN | TcpFlags.ACK);
        n.client(40000, TcpFlags.ACK);
        Packet p = new Packet();
        int rs = Ip4.parse(IpvsNode.RS2);
        int client = Ip4.parse(IpvsNode.CLIENT);
        int vip = Ip4.parse(IpvsNode.VIP);
        Runnable reply = () -> {
            p.clear();
            p.proto = IpProto.TCP;
            p.src = rs;
            p.sport = 8080;
            p.dst = client;
            p.dport = 40000;
            p.tcpFlags = TcpFlags.ACK;
            n.ipvs.out(p);
        };
        for (int i = 0; i < 50_000; i++) {
            reply.run();
        }
        long before = allocated();
        for (int i = 0; i < 100_000; i++) {
            reply.run();
        }
        long replies = allocated() - before;
        assertThat(p.src).isEqualTo(vip);

        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        Runnable request = () -> {
            p.clear();
            p.proto = IpProto.TCP;
            p.src = client;
            p.sport = 40000;
            p.dst = vip;
            p.dport = 80;
            p.tcpFlags = TcpFlags.ACK;
            if (n.ipvs.in(p, Hook.INPUT) != Verdict.DROP) {
                throw new AssertionError("expected DROP");
            }
        };
        for (int i = 0; i < 50_000; i++) {
            request.run();
        }
        before = allocated();
        for (int i = 0; i < 100_000; i++) {
            request.run();
        }
        long requests = allocated() - before;
        assertThat(n.ipvs.counters().nodestDropped()).isEqualTo(150_000);
        assertThat(replies).isLessThan(10_000);
        assertThat(requests).isLessThan(10_000);
    }

    @Test
    void upperThresholdOverloadsAndThreeQuartersClears() {
        IpvsNode n = new IpvsNode("6.1");
        n.run("ipvsadm -A -t 10.250.100.100:80 -s rr");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.2:8080 -m -w 1");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 1 -x 2");
        assertThat(n.synGoesTo(40000)).isEqualTo("rs2");
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.synGoesTo(40002)).isEqualTo("rs2");
        assertThat(n.dest(IpvsNode.RS2).overloaded()).isTrue();
        assertThat(n.synGoesTo(40003)).isEqualTo("rs1");
        assertThat(n.synGoesTo(40004)).isEqualTo("rs1");
        // SYN_RECV entries expire after 60 s: 1 * 4 < 2 * 3 clears OVERLOAD at the first unbind
        n.seconds(60);
        assertThat(n.dest(IpvsNode.RS2).overloaded()).isFalse();
    }
}
