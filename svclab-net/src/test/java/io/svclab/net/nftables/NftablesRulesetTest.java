package io.svclab.net.nftables;

import io.svclab.net.nat.FakeNat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.Ip4;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import io.svclab.net.conntrack.CtInfo;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NftablesRulesetTest {

    private final EmbeddedNetns e = new EmbeddedNetns("6.12");
    private final FakeNat nat = FakeNat.attachTo(e.ns());
    private final NftablesRuleset nft;

    NftablesRulesetTest() {
        e.device("cli0", "10.250.1.1", 24);
        e.device("be1", "10.250.2.1", 24);
        nft = NftablesRuleset.install(e.ns());
    }

    /** The oracle's table (iptables-reuse.sh nft mode), block form. */
    static final String ORACLE_TABLE = String.join("\n",
            "table ip kube-oracle {",
            "  chain svc {",
            "  }",
            "  chain services {",
            "    ip daddr 10.250.100.100 tcp dport 80 goto svc",
            "  }",
            "  chain nat-prerouting {",
            "    type nat hook prerouting priority dstnat; policy accept;",
            "    jump services",
            "  }",
            "}", "");

    /** The oracle's set_endpoints be1 be2. */
    static final String BOTH = String.join("\n",
            "flush chain ip kube-oracle svc",
            "add chain ip kube-oracle ep-be1",
            "flush chain ip kube-oracle ep-be1",
            "add rule ip kube-oracle ep-be1 meta l4proto tcp dnat to 10.250.2.2:8080",
            "add chain ip kube-oracle ep-be2",
            "flush chain ip kube-oracle ep-be2",
            "add rule ip kube-oracle ep-be2 meta l4proto tcp dnat to 10.250.3.2:8080",
            "add rule ip kube-oracle svc numgen random mod 2 vmap { 0 : goto ep-be1, 1 : goto ep-be2 }", "");

    private Packet syn(String src, int sport, String dst, int dport) {
        Packet p = e.tcp(src, sport, dst, dport, TcpFlags.SYN);
        p.nfct = new Object();
        p.ctinfo = CtInfo.NEW;
        return p;
    }

    @Test
    void theOraclesBlockFormTableAndEndpointTransactionDnatTheFirstPacket() throws Exception {
        nft.apply(ORACLE_TABLE);
        nft.apply(BOTH);
        Packet p = syn("10.250.1.2", 40000, "10.250.100.100", 80);

        Verdict v = nat.table.run(p, e.ns(), Hook.PREROUTING);

        assertThat(v).isEqualTo(Verdict.ACCEPT);
        assertThat(Ip4.endpoint(p.dst, p.dport)).isIn("10.250.2.2:8080", "10.250.3.2:8080");
        assertThat(nat.calls).hasSize(1);
    }

    @Test
    void removingAnEndpointChainAfterFlushingTheServiceChainLeavesOnlyTheOther() throws Exception {
        nft.apply(ORACLE_TABLE);
        nft.apply(BOTH);
        nft.apply(String.join("\n",
                "flush chain ip kube-oracle svc",
                "add rule ip kube-oracle svc numgen random mod 1 vmap { 0 : goto ep-be2 }",
                "delete chain ip kube-oracle ep-be1"));
        for (int i = 0; i < 20; i++) {
            nat.table.run(syn("10.250.1.2", 40000 + i, "10.250.100.100", 80), e.ns(), Hook.PREROUTING);
        }

        assertThat(nft.chains("kube-oracle")).containsExactly("svc", "services", "nat-prerouting", "ep-be2");
        assertThat(nat.calls).containsOnly("DST 10.250.3.2:8080 flags 3");
    }

    @Test
    void deletingAChainStillReferencedIsRefusedAndNothingChanges() throws Exception {
        nft.apply(ORACLE_TABLE);
        nft.apply(BOTH);

        assertThatThrownBy(() -> nft.apply("flush chain ip kube-oracle ep-be1\ndelete chain ip kube-oracle ep-be1\n"))
                .isInstanceOf(NftablesException.class)
                .hasMessage("line 2: can't delete chain \"ep-be1\": it is referenced from chain svc (Device or resource busy)");
        assertThat(nft.ruleCount("kube-oracle", "ep-be1")).isEqualTo(1);
    }

    @Test
    void anUnsupportedStatementIsNamedWithItsLine() {
        assertThatThrownBy(() -> nft.apply("add table ip t\nadd chain ip t c\nadd rule ip t c log prefix \"x\" accept\n"))
                .isInstanceOf(NftablesException.class)
                .hasMessage("line 3: unsupported statement \"log\"");
        assertThat(nft.tables()).isEmpty();
    }

    @Test
    void anotherFamilyIsRefusedAsUnsupported() {
        assertThatThrownBy(() -> nft.apply("add table inet t\n"))
                .hasMessage("line 1: unsupported family \"inet\" (only ip is modelled)");
    }

    @Test
    void mapElementsMayGoToChainsOfTheirOwnTableOnly() throws Exception {
        String map = "add table ip t\nadd chain ip t c\n"
                + "add map ip t m { type ipv4_addr . inet_proto . inet_service : verdict ; }\n";
        nft.apply(map + "add element ip t m { 10.96.0.1 . tcp . 80 : goto c }\n");

        assertThat(nft.elementCount("t", "m")).isEqualTo(1);
        assertThatThrownBy(() -> nft.apply("add element ip t m { 10.96.0.2 . tcp . 80 : goto nope }\n"))
                .hasMessage("line 1: chain \"nope\" does not exist");
    }

    @Test
    void aLimitStatementIsRefusedAsUnsupported() {
        assertThatThrownBy(() -> nft.apply("add table ip t\nadd chain ip t c\nadd rule ip t c limit rate 10/second accept\n"))
                .hasMessage("line 3: unsupported statement \"limit\"");
    }

    @Test
    void aDynamicSetForgetsAnAddressAtItsTimeout() throws Exception {
        nft.apply(String.join("\n",
                "add table ip t",
                "add set ip t seen { type ipv4_addr ; flags dynamic,timeout ; timeout 10s ; }",
                "add chain ip t f { type filter hook forward priority 0 ; }",
                "add rule ip t f ip saddr @seen drop",
                "add rule ip t f update @seen { ip saddr }", ""));

        Verdict first = e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 1, "10.250.2.2", 2), e.ns());
        e.runFor(9_000_000_000L);
        Verdict within = e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 1, "10.250.2.2", 2), e.ns());
        e.runFor(10_000_000_000L);
        Verdict after = e.ns().hooks(Hook.FORWARD).run(syn("10.250.1.2", 1, "10.250.2.2", 2), e.ns());

        assertThat(List.of(first, within, after)).containsExactly(Verdict.ACCEPT, Verdict.DROP, Verdict.ACCEPT);
    }

    @Test
    void filterBaseChainsRegisterAtTheirHookAndPriority() throws Exception {
        nft.apply("add table ip t\nadd chain ip t f { type filter hook forward priority -110 ; }\n"
                + "add chain ip t g { type filter hook forward priority filter + 5 ; }\n");

        assertThat(e.ns().hooks(Hook.FORWARD).entries()).extracting(h -> h.name() + " " + h.priority())
                .containsExactly("nft/t/f -110", "nft/t/g 5");
    }

    @Test
    void numgenIncCyclesFromZero() throws Exception {
        nft.apply(ORACLE_TABLE);
        nft.apply(BOTH.replace("numgen random", "numgen inc"));
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            Packet p = syn("10.250.1.2", 40000 + i, "10.250.100.100", 80);
            nat.table.run(p, e.ns(), Hook.PREROUTING);
            seen.append(Ip4.format(p.dst)).append(' ');
        }

        assertThat(seen.toString()).isEqualTo("10.250.2.2 10.250.3.2 10.250.2.2 10.250.3.2 ");
    }

    @Test
    void mutatedTransactionsOnlyEverFailWithTheCheckedError() {
        String valid = ORACLE_TABLE + BOTH + String.join("\n",
                "add set ip kube-oracle ips { type ipv4_addr ; flags interval ; comment \"x\" ; }",
                "add element ip kube-oracle ips { 10.0.0.0/8, 192.168.1.1 }",
                "add map ip kube-oracle m { type ipv4_addr . inet_proto . inet_service : verdict ; }",
                "add element ip kube-oracle m { 10.96.0.1 . tcp . 443 comment \"a\" : goto svc }",
                "add chain ip kube-oracle f { type filter hook forward priority 0 ; policy accept ; }",
                "add rule ip kube-oracle f ct state new,established ip saddr != @ips mark and 0x4000 == 0 counter drop",
                "add rule ip kube-oracle f ip daddr . meta l4proto . th dport vmap @m",
                "add rule ip kube-oracle f fib daddr type local reject with icmp type host-unreachable", "");
        String[] pieces = {" ", "{", "}", ";", ",", ".", ":", "\"", "@", "goto", "jump", "ip", "add", "delete", "\n",
                "0x", "999999999999", "-", "/", "tcp", "svc", "mod", "vmap"};
        SplittableRandom rng = new SplittableRandom(20261125L);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder(valid);
            int edits = 1 + rng.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int pos = rng.nextInt(b.length());
                switch (rng.nextInt(3)) {
                    case 0 -> b.deleteCharAt(pos);
                    case 1 -> b.insert(pos, pieces[rng.nextInt(pieces.length)]);
                    default -> b.delete(pos, Math.min(b.length(), pos + 1 + rng.nextInt(12)));
                }
            }
            EmbeddedNetns fresh = new EmbeddedNetns("6.12");
            NftablesRuleset r = NftablesRuleset.install(fresh.ns());
            try {
                r.apply(b.toString());
                accepted++;
            } catch (NftablesException expected) {
                assertThat(expected.getMessage()).startsWith("line ");
            }
        }
        assertThat(accepted).isBetween(1, 2999);
    }
}
