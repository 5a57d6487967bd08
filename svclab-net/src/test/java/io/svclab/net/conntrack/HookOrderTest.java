package io.svclab.net.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.net.EmbeddedNetns;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.NfPriority;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

/** Spec §1.2 and validation targets HK-1, HK-2: where conntrack and NAT sit on each hook. */
class HookOrderTest {

    private static HookEntry noop(String name, int prio) {
        return new HookEntry(name, prio, (p, ns, h) -> Verdict.ACCEPT);
    }

    @Test
    void hk1_forwardedPacket_conntrackBeforeMangleBeforeDnat_snatBeforeConfirm() {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        Conntrack.install(e.ns());
        e.hook(Hook.PREROUTING, noop("mangle", NfPriority.MANGLE));
        e.hook(Hook.POSTROUTING, noop("mangle", NfPriority.MANGLE));
        e.hook(Hook.FORWARD, noop("filter", NfPriority.FILTER));
        assertThat(e.ns().hooks(Hook.PREROUTING).names()).containsExactly("conntrack_in", "mangle", "nat_dst");
        assertThat(e.ns().hooks(Hook.POSTROUTING).names()).containsExactly("mangle", "nat_src", "conntrack_confirm");
        assertThat(e.ns().hooks(Hook.INPUT).names()).containsExactly("nat_src", "conntrack_confirm");
        assertThat(e.ns().hooks(Hook.FORWARD).names()).containsExactly("filter");
    }

    @Test
    void hk2_localPacket_conntrackBeforeNatOutputBeforeFilter() {
        EmbeddedNetns e = new EmbeddedNetns("6.12");
        Conntrack.install(e.ns());
        e.hook(Hook.OUTPUT, noop("filter", NfPriority.FILTER));
        assertThat(e.ns().hooks(Hook.OUTPUT).names()).containsExactly("conntrack_local", "nat_dst", "filter");
        assertThat(Conntrack.install(e.ns())).as("idempotent").isSameAs(e.ns().attachment(Conntrack.class));
        assertThat(e.ns().hooks(Hook.OUTPUT).names()).hasSize(3);
    }
}
