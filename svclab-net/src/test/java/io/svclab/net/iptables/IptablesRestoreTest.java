package io.svclab.net.iptables;

import io.svclab.net.nat.FakeNat;

import io.svclab.net.EmbeddedNetns;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IptablesRestoreTest {

    private static IptablesTables tables() {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        FakeNat.attachTo(e.ns());
        return IptablesTables.install(e.ns());
    }

    /** The oracle's service (iptables-reuse.sh, nth mode) as it writes it. */
    static final String ORACLE = String.join("\n",
            "*nat",
            ":KUBE-SERVICES - [0:0]",
            ":KUBE-SVC-ORACLE - [0:0]",
            ":KUBE-SEP-BE1 - [0:0]",
            ":KUBE-SEP-BE2 - [0:0]",
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A KUBE-SERVICES -d 10.250.100.100/32 -p tcp -m comment --comment \"default/oracle cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ORACLE",
            "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be1\" -m statistic --mode nth --every 2 --packet 0 -j KUBE-SEP-BE1",
            "-A KUBE-SEP-BE1 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.250.2.2:8080",
            "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be2\" -j KUBE-SEP-BE2",
            "-A KUBE-SEP-BE2 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.250.3.2:8080",
            "COMMIT", "");

    /** What the real iptables-save printed for {@link #ORACLE} (transcript header), with the chain lines. */
    static final String ORACLE_SAVED = String.join("\n",
                "*nat",
                ":PREROUTING ACCEPT [0:0]",
                ":INPUT ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]",
                ":KUBE-SEP-BE1 - [0:0]",
                ":KUBE-SEP-BE2 - [0:0]",
                ":KUBE-SERVICES - [0:0]",
                ":KUBE-SVC-ORACLE - [0:0]",
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-SEP-BE1 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.250.2.2:8080",
                "-A KUBE-SEP-BE2 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.250.3.2:8080",
                "-A KUBE-SERVICES -d 10.250.100.100/32 -p tcp -m comment --comment \"default/oracle cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ORACLE",
                "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be1\" -m statistic --mode nth --every 2 --packet 0 -j KUBE-SEP-BE1",
                "-A KUBE-SVC-ORACLE -m comment --comment \"default/oracle -> be2\" -j KUBE-SEP-BE2",
                "COMMIT", "");

    @Test
    void savePrintsTheOracleRulesAsTheRealIptablesSaveDid() throws Exception {
        IptablesTables t = tables();
        t.restore(ORACLE);

        assertThat(t.save()).isEqualTo(ORACLE_SAVED);
    }

    @Test
    void kubeProxyArgumentOrderIsNormalisedAndProbabilityPrintedQuantisedWith11Decimals() throws Exception {
        IptablesTables t = tables();
        t.restore(String.join("\n",
                "*nat",
                ":KUBE-SVC-X - [0:0]",
                ":KUBE-SEP-Y - [0:0]",
                ":KUBE-SEP-Z - [0:0]",
                "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-Y",
                "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.1000000000 -j KUBE-SEP-Y",
                "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-Z",
                "-A KUBE-SEP-Z -m comment --comment ns/svc:port -m tcp -p tcp -d 10.96.0.10 --dport 80 -j DNAT --to-destination 10.244.1.2:8080",
                "COMMIT"));

        assertThat(t.save("nat")).contains(
                "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-Y\n"
                        + "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.10000000009 -j KUBE-SEP-Y\n"
                        + "-A KUBE-SVC-X -m comment --comment \"ns/svc:port\" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-Z\n",
                "-A KUBE-SEP-Z -d 10.96.0.10/32 -p tcp -m comment --comment \"ns/svc:port\" -m tcp --dport 80 -j DNAT --to-destination 10.244.1.2:8080\n");
    }

    @Test
    void markTargetsAndMatchesSaveInTheKernelsSetXmarkForm() throws Exception {
        IptablesTables t = tables();
        t.restore(String.join("\n",
                "*nat",
                ":KUBE-MARK-MASQ - [0:0]",
                ":KUBE-POSTROUTING - [0:0]",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
                "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
                "COMMIT"));

        assertThat(t.save("nat")).endsWith(String.join("\n",
                "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
                "COMMIT", ""));
    }

    @Test
    void filterRulesSaveCtstateInKernelOrderAndRejectWithItsDefault() throws Exception {
        IptablesTables t = tables();
        t.restore(String.join("\n",
                "*filter",
                ":KUBE-FORWARD - [0:0]",
                ":KUBE-SERVICES - [0:0]",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "-A KUBE-SERVICES -m comment --comment \"ns/web:http has no endpoints\" -m tcp -p tcp -d 10.96.0.20 --dport 80 -j REJECT",
                "-A INPUT -i eth+ ! -o lo -m addrtype --dst-type LOCAL -g KUBE-FORWARD",
                "COMMIT"));

        assertThat(t.save()).isEqualTo(String.join("\n",
                "*filter",
                ":INPUT ACCEPT [0:0]",
                ":FORWARD ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":KUBE-FORWARD - [0:0]",
                ":KUBE-SERVICES - [0:0]",
                "-A INPUT -i eth+ ! -o lo -m addrtype --dst-type LOCAL -g KUBE-FORWARD",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable",
                "COMMIT", ""));
    }

    @Test
    void saveThenRestoreThenSaveIsStable() throws Exception {
        IptablesTables t = tables();
        t.restore(ORACLE);
        String first = t.save();
        IptablesTables u = tables();
        u.restore(first);

        assertThat(u.save()).isEqualTo(first).isEqualTo(ORACLE_SAVED);
    }

    @Test
    void noflushFlushesOnlyTheDeclaredUserChains() throws Exception {
        IptablesTables t = tables();
        t.restore(ORACLE);
        t.restore(String.join("\n",
                "*nat",
                ":KUBE-SVC-ORACLE - [0:0]",
                ":KUBE-SEP-BE1 - [0:0]",
                "-X KUBE-SEP-BE1",
                "-A KUBE-SVC-ORACLE -j KUBE-SEP-BE2",
                "COMMIT"));

        assertThat(t.save("nat")).contains(":KUBE-SEP-BE2 - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-ORACLE - [0:0]\n")
                .doesNotContain("KUBE-SEP-BE1")
                .contains("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n")
                .contains("-A KUBE-SVC-ORACLE -j KUBE-SEP-BE2\n");
    }

    @Test
    void withoutNoflushTheNamedTableStartsEmpty() throws Exception {
        IptablesTables t = tables();
        t.restore(ORACLE);
        t.restore("*nat\n:OUTPUT DROP [0:0]\nCOMMIT\n", false);

        assertThat(t.save("nat")).isEqualTo(
                "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n");
    }

    @Test
    void insertAndDeleteByNumberAndBySpecification() throws Exception {
        IptablesTables t = tables();
        t.restore(String.join("\n",
                "*filter",
                "-A INPUT -s 10.0.0.1 -j ACCEPT",
                "-A INPUT -s 10.0.0.2 -j ACCEPT",
                "-I INPUT -s 10.0.0.3 -j DROP",
                "-I INPUT 3 -s 10.0.0.4 -j DROP",
                "-D INPUT -s 10.0.0.1/32 -j ACCEPT",
                "-D INPUT 1",
                "COMMIT"));

        assertThat(t.save("filter")).contains("-A INPUT -s 10.0.0.4/32 -j DROP\n-A INPUT -s 10.0.0.2/32 -j ACCEPT\nCOMMIT\n");
    }

    @Test
    void anErrorInALaterTableLeavesEverythingUnchanged() throws Exception {
        IptablesTables t = tables();
        t.restore(ORACLE);
        String before = t.save();

        assertThatThrownBy(() -> t.restore(String.join("\n",
                "*nat",
                ":KUBE-SVC-ORACLE - [0:0]",
                "COMMIT",
                "*filter",
                "-A INPUT -m physdev --physdev-is-in -j DROP",
                "COMMIT")))
                .isInstanceOf(IptablesRestoreException.class)
                .hasMessage("line 5: unsupported match \"-m physdev\"");
        assertThat(t.save()).isEqualTo(before);
    }

    @Test
    void mangleIsRefusedAsAnUnsupportedTable() {
        assertThatThrownBy(() -> tables().restore("# kube-proxy canary\n*mangle\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n"))
                .isInstanceOf(IptablesRestoreException.class)
                .hasMessage("line 2: unsupported table \"mangle\" (only filter and nat are modelled)");
    }

    @Test
    void jumpToAnUndeclaredChainIsRefused() {
        assertThatThrownBy(() -> tables().restore("*nat\n-A PREROUTING -j KUBE-NOPE\nCOMMIT\n"))
                .hasMessage("line 2: chain \"KUBE-NOPE\" does not exist in table nat (and is no known target)");
    }

    @Test
    void deletingAReferencedChainIsRefused() {
        assertThatThrownBy(() -> tables().restore(ORACLE + "*nat\n:KUBE-SVC-ORACLE - [0:0]\n-X KUBE-SVC-ORACLE\nCOMMIT\n"))
                .hasMessage("line 15: can't delete chain \"KUBE-SVC-ORACLE\": it is referenced from KUBE-SERVICES");
    }

    @Test
    void dnatReachedFromPostroutingIsRefusedAtCommit() {
        assertThatThrownBy(() -> tables().restore(
                "*nat\n:X - [0:0]\n-A X -p tcp -j DNAT --to-destination 10.0.0.1:80\n-A POSTROUTING -j X\nCOMMIT\n"))
                .hasMessage("line 5: DNAT target in chain \"X\" is reached from POSTROUTING, but only usable from PREROUTING/OUTPUT");
    }

    @Test
    void aLoopOfChainsIsRefused() {
        assertThatThrownBy(() -> tables().restore(
                "*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j A\n-A INPUT -j A\nCOMMIT\n"))
                .hasMessage("line 7: loop in table filter: chain \"A\" is reached from itself");
    }

    @Test
    void rejectWithTcpResetIsRefusedAsNotModelled() {
        assertThatThrownBy(() -> tables().restore("*filter\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset\nCOMMIT\n"))
                .hasMessage("line 2: REJECT --reject-with tcp-reset is not modelled");
    }

    @Test
    void aTcpMatchWithoutProtocolTcpIsRefused() {
        assertThatThrownBy(() -> tables().restore("*filter\n-A INPUT -m tcp --dport 80 -j DROP\nCOMMIT\n"))
                .hasMessage("line 2: match \"-m tcp\" is only valid with \"-p tcp\"");
    }

    @Test
    void mutatedTextOnlyEverFailsWithTheCheckedError() {
        String valid = ORACLE + String.join("\n",
                "*filter",
                ":KUBE-FORWARD - [0:0]",
                "-A FORWARD -m conntrack --ctstate NEW -j KUBE-FORWARD",
                "-A KUBE-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT",
                "-A KUBE-FORWARD -s 10.0.0.0/8 -p udp --sport 53:60 -j REJECT --reject-with icmp-host-unreachable",
                "-I INPUT 1 -m addrtype ! --dst-type LOCAL -j DROP",
                "COMMIT",
                "*nat",
                "-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1024-2048 --random",
                "-A POSTROUTING -j SNAT --to-source 10.1.1.1-10.1.1.9",
                "-A OUTPUT -j MARK --set-mark 0x1/0xff",
                "COMMIT", "");
        String[] pieces = {" ", "!", "-m", "-j", "\"", ":", "/", "-", "0x", "99999999999", "--dport", "*nat", "COMMIT",
                "-X", "-D", "-I", "1", "\n", "--probability", "2", "[", "]", "tcp", "KUBE-SEP-BE1"};
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
            IptablesTables t = tables();
            try {
                t.restore(b.toString());
                accepted++;
            } catch (IptablesRestoreException expected) {
                assertThat(expected.getMessage()).startsWith("line ");
            }
        }
        assertThat(accepted).isBetween(1, 2999);
    }
}
