package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Scheduler sequences computed by hand from the kernel files (spec section 3). */
class IpvsSchedulersTest {

    private final IpvsNode n = new IpvsNode("6.1");

    private IpvsService svc(String sched, String... destsAndWeights) {
        n.run("ipvsadm -A -t 10.250.100.100:80 -s " + sched);
        for (int i = 0; i < destsAndWeights.length; i += 2) {
            n.run("ipvsadm -a -t 10.250.100.100:80 -r " + destsAndWeights[i] + ":8080 -m -w " + destsAndWeights[i + 1]);
        }
        return n.ipvs.service(IpProto.TCP, Ip4.parse(IpvsNode.VIP), 80);
    }

    private static Packet syn(String client, int port) {
        Packet p = new Packet();
        p.src = Ip4.parse(client);
        p.sport = port;
        p.dst = Ip4.parse(IpvsNode.VIP);
        p.dport = 80;
        p.proto = IpProto.TCP;
        p.tcpFlags = TcpFlags.SYN;
        return p;
    }

    private static List<String> picks(IpvsService s, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            IpvsDest d = s.scheduler.schedule(s, syn("10.250.1.2", 40000 + i));
            out.add(d == null ? "-" : name(d));
        }
        return out;
    }

    private static String name(IpvsDest d) {
        return switch (Ip4.format(d.addr())) {
            case "10.0.0.1" -> "A";
            case "10.0.0.2" -> "B";
            case "10.0.0.3" -> "C";
            default -> Ip4.format(d.addr());
        };
    }

    private void weight(String addr, int w) {
        n.run("ipvsadm -e -t 10.250.100.100:80 -r " + addr + ":8080 -m -w " + w);
    }

    @Test
    void rrWalksTheListNewestFirst() {
        IpvsService s = svc("rr", "10.0.0.1", "1", "10.0.0.2", "1", "10.0.0.3", "1");
        assertThat(s.dests()).extracting(IpvsSchedulersTest::name).containsExactly("C", "B", "A");
        assertThat(picks(s, 6)).containsExactly("C", "B", "A", "C", "B", "A");
    }

    @Test
    void rrSkipsWeight0AndKeepsItsCursorAcrossWeightEdits() {
        IpvsService s = svc("rr", "10.0.0.1", "1", "10.0.0.2", "1", "10.0.0.3", "1");
        assertThat(picks(s, 1)).containsExactly("C");
        weight("10.0.0.2", 0);
        assertThat(picks(s, 4)).containsExactly("A", "C", "A", "C");
        weight("10.0.0.2", 1);
        assertThat(picks(s, 3)).containsExactly("B", "A", "C");
    }

    @Test
    void rrAfterDeletingTheCursorDestContinuesWithItsSuccessor() {
        IpvsService s = svc("rr", "10.0.0.1", "1", "10.0.0.2", "1", "10.0.0.3", "1");
        assertThat(picks(s, 2)).containsExactly("C", "B");
        n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.0.0.2:8080");
        assertThat(picks(s, 3)).containsExactly("A", "C", "A");
    }

    @Test
    void rrWithEveryDestAtWeight0ChoosesNothing() {
        IpvsService s = svc("rr", "10.0.0.1", "0", "10.0.0.2", "0");
        assertThat(picks(s, 2)).containsExactly("-", "-");
    }

    @Test
    void wrrWithWeights321() {
        // added C(1), B(2), A(3): list order A, B, C. The first add set cw = mw = 1 and later adds keep
        // cw (ip_vs_wrr_dest_changed), so the first round is at weight >= 1; then the period A A B A B C.
        IpvsService s = svc("wrr", "10.0.0.3", "1", "10.0.0.2", "2", "10.0.0.1", "3");
        assertThat(picks(s, 15)).containsExactly("A", "B", "C", "A", "A", "B", "A", "B", "C", "A", "A", "B", "A", "B",
                "C");
    }

    @Test
    void wrrWithWeights432FromTheSpec() {
        IpvsService s = svc("wrr", "10.0.0.3", "2", "10.0.0.2", "3", "10.0.0.1", "4");
        // first round at cw = 1 (left from the first add), then period 9 as in spec 3.2
        assertThat(picks(s, 12)).containsExactly("A", "B", "C", "A", "A", "B", "A", "B", "C", "A", "B", "C");
    }

    @Test
    void wrrRestartsFromTheHeadAfterAWeightEdit() {
        IpvsService s = svc("wrr", "10.0.0.3", "1", "10.0.0.2", "2", "10.0.0.1", "3");
        assertThat(picks(s, 2)).containsExactly("A", "B");
        // cl back to the head, cw stays 1: A, C (B has weight 0), then cw = mw = 3: A, then cw 2: A
        weight("10.0.0.2", 0);
        assertThat(picks(s, 4)).containsExactly("A", "C", "A", "A");
    }

    @Test
    void lcTiesGoToTheFirstDestInListOrderAndWeight0IsNeverChosen() {
        IpvsService s = svc("lc", "10.0.0.1", "1", "10.0.0.2", "1", "10.0.0.3", "0");
        // list order C(w0), B, A
        assertThat(picks(s, 1)).containsExactly("B");
        s.dest(Ip4.parse("10.0.0.2"), 8080).inactConns = 1;
        assertThat(picks(s, 1)).containsExactly("A");
        s.dest(Ip4.parse("10.0.0.1"), 8080).activeConns = 1; // overhead 256 > 1
        assertThat(picks(s, 1)).containsExactly("B");
    }

    @Test
    void wlcComparesOverheadTimesWeightAndKeepsTheEarlierOnTies() {
        IpvsService s = svc("wlc", "10.0.0.1", "2", "10.0.0.2", "1", "10.0.0.3", "0");
        // list order C(w0), B(w1), A(w2); C is skipped as seed and can never win
        IpvsDest a = s.dest(Ip4.parse("10.0.0.1"), 8080);
        IpvsDest b = s.dest(Ip4.parse("10.0.0.2"), 8080);
        assertThat(picks(s, 1)).containsExactly("B");
        b.activeConns = 1; // 256*2 > 0*1 -> A
        assertThat(picks(s, 1)).containsExactly("A");
        a.activeConns = 2; // B: 256, A: 512; 256*2 > 512*1 is false -> tie keeps B
        assertThat(picks(s, 1)).containsExactly("B");
    }

    @Test
    void sedUsesActivePlusOne() {
        IpvsService s = svc("sed", "10.0.0.1", "3", "10.0.0.2", "1");
        // list order B(w1), A(w3)
        IpvsDest a = s.dest(Ip4.parse("10.0.0.1"), 8080);
        a.activeConns = 2; // B: 1*3 > 3*1 false -> B
        a.inactConns = 100; // inactive connections do not count
        assertThat(picks(s, 1)).containsExactly("B");
        a.activeConns = 1; // 1*3 > 2*1 -> A
        assertThat(picks(s, 1)).containsExactly("A");
    }

    @Test
    void nqTakesTheFirstIdleDestAtOnce() {
        IpvsService s = svc("nq", "10.0.0.1", "1", "10.0.0.2", "5");
        // list order B(w5), A(w1)
        IpvsDest a = s.dest(Ip4.parse("10.0.0.1"), 8080);
        IpvsDest b = s.dest(Ip4.parse("10.0.0.2"), 8080);
        b.activeConns = 1;
        assertThat(picks(s, 1)).containsExactly("A");
        a.activeConns = 1; // B: 2*1 > 2*5 false -> B
        assertThat(picks(s, 1)).containsExactly("B");
        weight("10.0.0.2", 0);
        assertThat(picks(s, 1)).containsExactly("A");
    }

    @Test
    void shMapsTheSourceAddressToTheKernelBucket() {
        // list RS2, RS1: even buckets RS2, odd RS1; hash_32(0x0AFA0102, 8) = 115, (.3) 213, (.4) 54, (.5) 152
        IpvsService s = svc("sh", IpvsNode.RS1, "1", IpvsNode.RS2, "1");
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo(IpvsNode.RS1);
        assertThat(pick(s, "10.250.1.2", 40001)).isEqualTo(IpvsNode.RS1);
        assertThat(pick(s, "10.250.1.3", 40000)).isEqualTo(IpvsNode.RS1);
        assertThat(pick(s, "10.250.1.4", 40000)).isEqualTo(IpvsNode.RS2);
        assertThat(pick(s, "10.250.1.5", 40000)).isEqualTo(IpvsNode.RS2);
        weight(IpvsNode.RS1, 0);
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo("-");
        n.run("ipvsadm -E -t 10.250.100.100:80 -s sh -b sh-fallback");
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo(IpvsNode.RS2);
    }

    @Test
    void shWithPortHashesSourcePortPlusAddress() {
        IpvsService s = svc("sh", IpvsNode.RS1, "1", IpvsNode.RS2, "1");
        n.run("ipvsadm -E -t 10.250.100.100:80 -s sh -b sh-port");
        // hash_32(40000 + 0x0AFA0102, 8) = 23 (odd)
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo(IpvsNode.RS1);
    }

    @Test
    void dhHashesTheVirtualAddress() {
        // hash_32(0x0AFA6464, 8) = 110, 110 % 2 = 0 -> first in list (RS2)
        IpvsService s = svc("dh", IpvsNode.RS1, "1", IpvsNode.RS2, "1");
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo(IpvsNode.RS2);
        assertThat(pick(s, "10.250.1.9", 41000)).isEqualTo(IpvsNode.RS2);
        weight(IpvsNode.RS2, 0);
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo("-");
    }

    @Test
    void mhMapsSourcesThroughTheMaglevTable() {
        IpvsService s = svc("mh", IpvsNode.RS1, "1", IpvsNode.RS2, "1");
        // hsiphash slots: .2 -> 1361, .3 -> 747, .4 -> 2816, .5 -> 695
        assertThat(IpvsSchedulers.Mh.slot(Ip4.parse("10.250.1.2"), 0)).isEqualTo(1361);
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo(IpvsNode.RS1);
        assertThat(pick(s, "10.250.1.3", 40000)).isEqualTo(IpvsNode.RS2);
        assertThat(pick(s, "10.250.1.4", 40000)).isEqualTo(IpvsNode.RS2);
        assertThat(pick(s, "10.250.1.5", 40000)).isEqualTo(IpvsNode.RS1);
        assertThat(pick(s, "192.168.7.9", 40000)).isEqualTo(IpvsNode.RS2);
        // weight 0 keeps the slots (last_weight) and answers "no destination"
        weight(IpvsNode.RS1, 0);
        assertThat(pick(s, "10.250.1.2", 40000)).isEqualTo("-");
        assertThat(pick(s, "10.250.1.3", 40000)).isEqualTo(IpvsNode.RS2);
    }

    @Test
    void mhTableSharesFollowTheWeights() {
        IpvsService s = svc("mh", IpvsNode.RS1, "1", IpvsNode.RS2, "3");
        IpvsSchedulers.Mh mh = (IpvsSchedulers.Mh) s.scheduler;
        long rs2 = java.util.Arrays.stream(mh.lookup).filter(d -> d.addr() == Ip4.parse(IpvsNode.RS2)).count();
        assertThat(rs2).isEqualTo(3070);
        assertThat(mh.lookup.length - rs2).isEqualTo(1023);
    }

    private static String pick(IpvsService s, String client, int port) {
        IpvsDest d = s.scheduler.schedule(s, syn(client, port));
        return d == null ? "-" : Ip4.format(d.addr());
    }

    @Test
    void newSynsNeverReachAWeight0ServerThroughTheDatapath() {
        n.withTwoServers();
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        for (int port = 40000; port < 40010; port++) {
            assertThat(n.synGoesTo(port)).isEqualTo("rs1");
        }
    }
}
