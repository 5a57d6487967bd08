package io.svclab.net.iptables;

import io.svclab.net.nat.FakeNat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IptablesEvaluationTest {

    private final EmbeddedNetns e = new EmbeddedNetns("6.12");
    private final FakeNat nat = FakeNat.attachTo(e.ns());
    private final IptablesTables t;

    IptablesEvaluationTest() {
        e.device("cli0", "10.250.1.1", 24);
        e.device("be1", "10.250.2.1", 24);
        t = IptablesTables.install(e.ns());
    }

    private Packet syn(String src, int sport, String dst, int dport) {
        Packet p = e.tcp(src, sport, dst, dport, TcpFlags.SYN);
        p.nfct = new Object();
        p.ctinfo = CtInfo.NEW;
        return p;
    }

    @Test
    void installRegistersTheFilterTableAtItsThreeHooksAndTheNatTableWithTheNatCore() {
        assertThat(e.ns().hooks(Hook.INPUT).names()).containsExactly("filter");
        assertThat(e.ns().hooks(Hook.FORWARD).names()).containsExactly("filter");
        assertThat(e.ns().hooks(Hook.OUTPUT).names()).containsExactly("filter");
        assertThat(e.ns().hooks(Hook.PREROUTING).names()).isEmpty();
        assertThat(nat.table).isNotNull();
        assertThat(e.ns().attachment(IptablesTables.class)).isSameAs(t);
    }

    @Test
    void nthCascadeAlternatesBackendsLikeTheOracle() throws Exception {
        t.restore(IptablesRestoreTest.ORACLE);
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Packet p = syn("10.250.1.2", 40000, "10.250.100.100", 80);
            nat.table.run(p, e.ns(), Hook.PREROUTING);
            backends.add(Ip4.endpoint(p.dst, p.dport));
        }

        assertThat(backends).containsExactly("10.250.2.2:8080", "10.250.3.2:8080", "10.250.2.2:8080",
                "10.250.3.2:8080", "10.250.2.2:8080", "10.250.3.2:8080");
    }

    @Test
    void dnatCallsTheNatCoreWithTheDestinationRange() throws Exception {
        t.restore(IptablesRestoreTest.ORACLE);

        Verdict v = nat.table.run(syn("10.250.1.2", 40000, "10.250.100.100", 80), e.ns(), Hook.PREROUTING);

        assertThat(v).isEqualTo(Verdict.ACCEPT);
        assertThat(nat.calls).containsExactly("DST 10.250.2.2:8080 flags 3");
    }

    @Test
    void aPacketMatchingNoRuleGetsNoNatCall() throws Exception {
        t.restore(IptablesRestoreTest.ORACLE);

        nat.table.run(syn("10.250.1.2", 40000, "10.250.100.100", 81), e.ns(), Hook.PREROUTING);

        assertThat(nat.calls).isEmpty();
    }

    @Test
    void ruleCountersCountMatchedPacketsAndBytes() throws Exception {
        t.restore(IptablesRestoreTest.ORACLE);
        nat.table.run(syn("10.250.1.2", 40000, "10.250.100.100", 80), e.ns(), Hook.PREROUTING);

        assertThat(t.counters("nat", "KUBE-SERVICES")).containsExactly(new IptablesTables.RuleCounters(
                "-d 10.250.100.100/32 -p tcp -m comment --comment \"default/oracle cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ORACLE",
                1, 40));
    }

    @Test
    void masqueradeMarkedPacketsGetTheOutgoingDevicesAddressAndTheMarkIsCleared() throws Exception {
        t.restore(String.join("\n",
                "*nat",
                ":KUBE-POSTROUTING - [0:0]",
                "-A POSTROUTING -j KUBE-POSTROUTING",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
                "-A KUBE-POSTROUTING -j MASQUERADE --random-fully",
                "COMMIT"));
        Packet p = syn("10.250.1.2", 40000, "10.250.2.2", 8080);
        p.mark = 0x4001;

        nat.table.run(p, e.ns(), Hook.POSTROUTING);

        assertThat(nat.calls).containsExactly("SRC 10.250.2.1:0 flags 17");
        assertThat(p.mark).isEqualTo(1);
    }

    @Test
    void unmarkedPacketsReturnFromKubePostroutingWithoutMasquerade() throws Exception {
        t.restore(String.join("\n",
                "*nat",
                ":KUBE-POSTROUTING - [0:0]",
                "-A POSTROUTING -j KUBE-POSTROUTING",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MASQUERADE",
                "COMMIT"));

        nat.table.run(syn("10.250.1.2", 40000, "10.250.2.2", 8080), e.ns(), Hook.POSTROUTING);

        assertThat(nat.calls).isEmpty();
    }

    @Test
    void rejectSendsPortUnreachableAndDrops() throws Exception {
        t.restore(String.join("\n",
                "*filter",
                ":KUBE-SERVICES - [0:0]",
                "-A FORWARD -m conntrack --ctstate NEW -j KUBE-SERVICES",
                "-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j REJECT",
                "COMMIT"));

        Verdict v = e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 40000, "10.96.0.20", 80), e.ns());

        assertThat(v).isEqualTo(Verdict.DROP);
        assertThat(e.readOutbound()).extracting(s -> s.line())
                .containsExactly("10.250.1.1 > 10.250.1.2 icmp port-unreachable for tcp 10.250.1.2:40000 > 10.96.0.20:80");
    }

    @Test
    void ctstateMatchReadsTheConntrackState() throws Exception {
        t.restore("*filter\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n");
        Packet untracked = e.tcp("10.250.1.2", 40000, "10.250.2.2", 80, TcpFlags.ACK);

        assertThat(e.ns().hooks(Hook.FORWARD).run(untracked, e.ns())).isEqualTo(Verdict.DROP);
        assertThat(e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 40000, "10.250.2.2", 80), e.ns()))
                .isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void gotoReturnsToTheCallerOfTheChainThatWent() throws Exception {
        t.restore(String.join("\n",
                "*filter",
                ":A - [0:0]",
                ":B - [0:0]",
                ":C - [0:0]",
                "-A FORWARD -j A",
                "-A FORWARD -j DROP",
                "-A A -g B",
                "-A A -j ACCEPT",
                "-A B -j C",
                "COMMIT"));

        assertThat(e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 1, "10.250.2.2", 2), e.ns())).isEqualTo(Verdict.DROP);
    }

    @Test
    void builtinPolicyAppliesWhenTheChainFallsOff() throws Exception {
        t.restore("*filter\n:FORWARD DROP [0:0]\n-A FORWARD -s 10.250.1.9 -j ACCEPT\nCOMMIT\n");

        assertThat(e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 1, "10.250.2.2", 2), e.ns())).isEqualTo(Verdict.DROP);
        assertThat(t.save("filter")).contains(":FORWARD DROP [1:40]");
    }

    @Test
    void randomStatisticUsesTheQuantisedThreshold() throws Exception {
        t.restore(String.join("\n",
                "*nat",
                ":S - [0:0]",
                "-A PREROUTING -j S",
                "-A S -m statistic --mode random --probability 0.0000000001 -p tcp -j DNAT --to-destination 10.0.0.1:1",
                "-A S -p tcp -j DNAT --to-destination 10.0.0.2:1",
                "COMMIT"));
        for (int i = 0; i < 1000; i++) {
            nat.table.run(syn("10.250.1.2", 1000 + i, "10.96.0.1", 80), e.ns(), Hook.PREROUTING);
        }

        // round(1e-10 * 2^31) = 0: the kernel never matches
        assertThat(nat.calls).allMatch(c -> c.startsWith("DST 10.0.0.2"));
    }
}
