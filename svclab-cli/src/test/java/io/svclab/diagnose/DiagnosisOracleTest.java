package io.svclab.diagnose;

import io.svclab.kernel.KernelProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The predictions checked against what the real 6.1 kernel did (oracle fixtures ipvs-*.txt): the
 * dumps taken after the change and before connection #2 go through {@link Diagnosis}, and the
 * model's outcome for connection #2's client port is the fixture's "#2 SAME port" outcome.
 */
class DiagnosisOracleTest {

    /** Diagnosis of a fixture's state just before connection #2. */
    static Diagnosis before2(String fixture) throws DumpException {
        String name = fixture + ".txt";
        return new Diagnosis(KernelProfiles.get("6.1"), true,
                Dumps.conntrack("nf_conntrack.txt", String.join("", Fixtures.blocks(name, "/proc/net/nf_conntrack")
                        .subList(0, Math.min(1, Fixtures.blocks(name, "/proc/net/nf_conntrack").size())))),
                Dumps.ipvsList("ipvsadm-Ln.txt", Fixtures.blocks(name, "ipvsadm -Ln").get(1)),
                Dumps.ipvsConns("ipvsadm-Lnc.txt", "IPVS connection entries\n" + Fixtures.blocks(name, "ipvsadm -Lnc").get(0)),
                Dumps.sysctl("sysctl-a.txt", Fixtures.sysctl(name), KernelProfiles.get("6.1")), null, null);
    }

    static Diagnosis.Finding finding(Diagnosis d, String id) {
        return d.findings().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(
                () -> new AssertionError("no finding " + id + " in " + d.findings()));
    }

    @ParameterizedTest(name = "{0}: #2 from port {1} -> {3}")
    @CsvSource({
        // fixture, client port, finding, outcome of #2 on the real kernel (oracle summary)
        "ipvs-reuse0-ct1-nodest0-weight0, 40004, ipvs-weight0-reuse, forwarded 10.250.3.2:8080",
        "ipvs-reuse1-ct1-nodest1-weight0, 40001, ipvs-weight0-reuse, forwarded 10.250.2.2:8080",
        "ipvs-reuse0-ct0-nodest0-delete,  40014, ipvs-deleted-reuse, dropped",
    })
    void theModelPredictsWhatTheKernelDid(String fixture, int port, String id, String outcome) throws DumpException {
        Diagnosis.Finding f = finding(before2(fixture), id);
        assertThat(f.predictions()).hasSize(1);
        Diagnosis.Prediction p = f.predictions().get(0);
        assertThat(p.client()).isEqualTo("10.250.1.2:" + port);
        String[] o = outcome.split(" ");
        assertThat(p.outcome().kind()).isEqualTo(o[0]);
        if (o.length > 1) {
            assertThat(p.outcome().to()).isEqualTo(o[1]);
            assertThat(p.outcome().afterMs()).isZero();
        }
    }

    @Test
    void weight0FindingOfTheIncidentNamesTheEntryAndThePrediction() throws DumpException {
        Diagnosis.Finding f = finding(before2("ipvs-reuse0-ct1-nodest0-weight0"), "ipvs-weight0-reuse");
        assertThat(f.severity()).isEqualTo("high");
        assertThat(f.evidence()).containsExactly(
                new Diagnosis.Evidence("ipvsadm-Ln.txt", 6, "  -> 10.250.3.2:8080              Masq    0      0          1         "),
                new Diagnosis.Evidence("ipvsadm-Lnc.txt", 3, "TCP 01:59  TIME_WAIT   10.250.1.2:40004   10.250.100.100:80  10.250.3.2:8080"));
        assertThat(f.summary()).contains("10.250.3.2:8080", "weight 0", "1 TIME_WAIT (up to 119 s left)");
        assertThat(f.prediction()).isEqualTo("a SYN from 10.250.1.2:40004 to 10.250.100.100:80 would go to 10.250.3.2:8080"
                + " (weight 0): conn_reuse_mode=0 keeps the TIME_WAIT entry's destination (expire_nodest_conn=0)");
        assertThat(f.reference()).isEqualTo("kubernetes/kubernetes#81775");
    }

    @Test
    void rescheduledWhenReuseModeIsOne() throws DumpException {
        Diagnosis.Finding f = finding(before2("ipvs-reuse1-ct1-nodest1-weight0"), "ipvs-weight0-reuse");
        assertThat(f.prediction()).isEqualTo("a SYN from 10.250.1.2:40001 to 10.250.100.100:80 would be rescheduled at once"
                + " to 10.250.2.2:8080 (the TIME_WAIT entry to 10.250.3.2:8080 is expired)");
        assertThat(f.severity()).isEqualTo("low");
    }

    @Test
    void deletedServerDropsEveryRetransmission() throws DumpException {
        Diagnosis d = before2("ipvs-reuse0-ct0-nodest0-delete");
        Diagnosis.Finding f = finding(d, "ipvs-deleted-reuse");
        assertThat(f.evidence()).extracting(Diagnosis.Evidence::line).containsExactly(3);
        assertThat(f.prediction()).isEqualTo("a SYN from 10.250.1.2:40014 to 10.250.100.100:80 would be dropped (its IPVS"
                + " entry points at a deleted real server), and so would its retransmissions up to 63 s: the connect times out");
        assertThat(d.findings()).extracting(Diagnosis.Finding::id).contains("sysctl-reuse-mode-0", "sysctl-expire-nodest-conn-0");
    }

    @Test
    void pre59KernelDropsTheReusedSynAndTheRetransmissionGoesThrough() throws DumpException {
        String name = "ipvs-reuse1-ct1-nodest1-weight0.txt";
        // the same dumps on 5.4 (f719e37, no 5.9 fix): the SYN is dropped for the old conntrack entry
        Diagnosis d = new Diagnosis(KernelProfiles.get("5.4"), true,
                Dumps.conntrack("ct", Fixtures.blocks(name, "/proc/net/nf_conntrack").get(0)),
                Dumps.ipvsList("ln", Fixtures.blocks(name, "ipvsadm -Ln").get(1)),
                Dumps.ipvsConns("lnc", Fixtures.blocks(name, "ipvsadm -Lnc").get(0)),
                Dumps.sysctl("s", Fixtures.sysctl(name), KernelProfiles.get("5.4")), null, null);
        Diagnosis.Prediction p = finding(d, "ipvs-weight0-reuse").predictions().get(0);
        assertThat(p.outcome().kind()).isEqualTo("forwarded");
        assertThat(p.outcome().to()).isEqualTo("10.250.2.2:8080");
        assertThat(p.outcome().afterMs()).isEqualTo(1000);
        assertThat(p.text()).contains("would be dropped (IPVS drops it so that the old, confirmed conntrack entry goes first)",
                "1 s later would go to 10.250.2.2:8080");
        assertThat(d.findings()).extracting(Diagnosis.Finding::id).contains("sysctl-reuse-1s-delay");
    }

    @Test
    void finalStateListsTheDeletedServersEstablishedEntries() throws DumpException {
        String name = "ipvs-final-state.txt";
        Diagnosis d = new Diagnosis(KernelProfiles.get("6.1"), true, null,
                Dumps.ipvsList("stats", Fixtures.blocks(name, "ipvsadm -Ln --stats").get(0)),
                Dumps.ipvsConns("lnc", Fixtures.blocks(name, "ipvsadm -Lnc").get(0)),
                Dumps.sysctl("s", Fixtures.blocks(name, "sysctl net.ipv4.vs").get(0), KernelProfiles.get("6.1")), null, null);
        Diagnosis.Finding f = finding(d, "ipvs-deleted-reuse");
        assertThat(f.summary()).contains("real server 10.250.3.2:8081", "2 ESTABLISHED (up to 893 s left)");
        assertThat(f.evidence()).extracting(Diagnosis.Evidence::line).containsExactly(3, 6);
        // expire_nodest_conn=0: the packet is dropped without refreshing, every retransmission too
        assertThat(f.predictions()).extracting(p -> p.outcome().kind()).containsExactly("dropped", "dropped");
        assertThat(d.warnings()).contains("ipvsadm -Ln --stats shows no weights: real servers are taken with weight 1");
        assertThat(d.inputs()).extracting(Diagnosis.Input::entries).containsExactly(2, 4, 27);
    }

    @Test
    void staleDnatInIptablesModeIsRescheduledByTheRules() throws DumpException {
        // the oracle's rules with only be1 left; conntrack still holds entries DNATed to be2
        String save = String.join("\n", "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-SVC-ORACLE - [0:0]", ":KUBE-SEP-BE1 - [0:0]",
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-SEP-BE1 -p tcp -m comment --comment \"default/oracle\" -m tcp -j DNAT --to-destination 10.250.2.2:8080",
                "-A KUBE-SERVICES -d 10.250.100.100/32 -p tcp -m comment --comment \"default/oracle cluster IP\" -m tcp --dport 80 -j KUBE-SVC-ORACLE",
                "-A KUBE-SVC-ORACLE -j KUBE-SEP-BE1", "COMMIT", "");
        Dumps.Iptables ipt = Dumps.iptables("iptables-save.txt", save);
        assertThat(ipt.rules()).isEqualTo(4);
        assertThat(ipt.endpoints()).extracting(Dumps.Endpoint::port).containsExactly(8080);
        Diagnosis d = new Diagnosis(KernelProfiles.get("6.1"), true,
                Dumps.conntrack("nf_conntrack.txt", Fixtures.text("iptables-reuse-nth.proc-nf_conntrack.txt")),
                null, null, null, ipt, save);
        Diagnosis.Finding f = finding(d, "conntrack-stale-dnat");
        assertThat(f.summary()).startsWith("6 conntrack entries DNAT to 10.250.3.2:8080")
                .endsWith("1 CLOSE (up to 1 s left), 5 TIME_WAIT (up to 119 s left)");
        assertThat(f.evidence()).extracting(Diagnosis.Evidence::line).containsExactly(1, 2, 3, 4, 5, 7);
        List<String> to = f.predictions().stream().map(p -> p.outcome().to()).toList();
        assertThat(to).containsOnly("10.250.2.2:8080");
    }
}
