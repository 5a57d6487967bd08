package io.svclab.net.netfilter;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.NetNamespace;
import io.svclab.net.Network;
import io.svclab.net.Packet;
import io.svclab.net.trace.Trace;
import io.svclab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HookChainTest {

    private final NetNamespace ns = new Network(new Simulation(1), KernelProfiles.get("6.12"), Trace.NONE).namespace("n");

    private static HookFn recording(List<String> log, String name, Verdict v) {
        return (p, n, h) -> {
            log.add(name);
            return v;
        };
    }

    @Test
    void runsInAscendingPriorityWhateverTheRegistrationOrder() {
        List<String> log = new ArrayList<>();
        HookChain c = new HookChain(Hook.PREROUTING);
        c.register(new HookEntry("nat_dst", NfPriority.NAT_DST, recording(log, "nat_dst", Verdict.ACCEPT)));
        c.register(new HookEntry("confirm", NfPriority.CONNTRACK_CONFIRM, recording(log, "confirm", Verdict.ACCEPT)));
        c.register(new HookEntry("conntrack_in", NfPriority.CONNTRACK, recording(log, "conntrack_in", Verdict.ACCEPT)));
        c.register(new HookEntry("mangle", NfPriority.MANGLE, recording(log, "mangle", Verdict.ACCEPT)));
        c.register(new HookEntry("raw", NfPriority.RAW, recording(log, "raw", Verdict.ACCEPT)));

        assertThat(c.run(new Packet(), ns)).isEqualTo(Verdict.ACCEPT);
        assertThat(log).containsExactly("raw", "conntrack_in", "mangle", "nat_dst", "confirm");
        assertThat(c.names()).containsExactly("raw", "conntrack_in", "mangle", "nat_dst", "confirm");
    }

    @Test
    void equalPrioritiesRunInRegistrationOrder() {
        List<String> log = new ArrayList<>();
        HookChain c = new HookChain(Hook.INPUT);
        c.register(new HookEntry("b", 0, recording(log, "b", Verdict.ACCEPT)));
        c.register(new HookEntry("a", 0, recording(log, "a", Verdict.ACCEPT)));
        c.register(new HookEntry("ipvs_in", NfPriority.IPVS_IN_INPUT, recording(log, "ipvs_in", Verdict.ACCEPT)));
        c.register(new HookEntry("ipvs_out", NfPriority.IPVS_OUT_INPUT, recording(log, "ipvs_out", Verdict.ACCEPT)));
        c.register(new HookEntry("c", 0, recording(log, "c", Verdict.ACCEPT)));

        c.run(new Packet(), ns);

        assertThat(log).containsExactly("b", "a", "c", "ipvs_out", "ipvs_in");
    }

    @Test
    void stopsAtTheFirstVerdictThatIsNotAccept() {
        List<String> log = new ArrayList<>();
        HookChain c = new HookChain(Hook.FORWARD);
        c.register(new HookEntry("filter", NfPriority.FILTER, recording(log, "filter", Verdict.DROP)));
        c.register(new HookEntry("mangle", NfPriority.MANGLE, recording(log, "mangle", Verdict.ACCEPT)));
        c.register(new HookEntry("ipvs", NfPriority.IPVS_OUT_FORWARD, recording(log, "ipvs", Verdict.ACCEPT)));

        assertThat(c.run(new Packet(), ns)).isEqualTo(Verdict.DROP);
        assertThat(log).containsExactly("mangle", "filter");

        HookChain s = new HookChain(Hook.INPUT);
        List<String> log2 = new ArrayList<>();
        s.register(new HookEntry("ipvs_in", NfPriority.IPVS_IN_INPUT, recording(log2, "ipvs_in", Verdict.STOLEN)));
        s.register(new HookEntry("confirm", NfPriority.CONNTRACK_CONFIRM, recording(log2, "confirm", Verdict.ACCEPT)));
        assertThat(s.run(new Packet(), ns)).isEqualTo(Verdict.STOLEN);
        assertThat(log2).containsExactly("ipvs_in");
    }

    @Test
    void refusesDuplicateNamesAndUnregistersByName() {
        HookChain c = new HookChain(Hook.OUTPUT);
        c.register(new HookEntry("conntrack_local", NfPriority.CONNTRACK, (p, n, h) -> Verdict.ACCEPT));
        assertThatThrownBy(() -> c.register(new HookEntry("conntrack_local", 5, (p, n, h) -> Verdict.ACCEPT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hook function conntrack_local already registered at OUTPUT");
        assertThat(c.unregister("conntrack_local")).isTrue();
        assertThat(c.unregister("conntrack_local")).isFalse();
        assertThat(c.names()).isEmpty();
    }

    @Test
    void kernelPrioritiesOfIpvsSitBetweenFilterAndNatAtInputAndAfterDnatAtOutput() {
        assertThat(NfPriority.IPVS_IN_INPUT).isEqualTo(99);
        assertThat(NfPriority.IPVS_OUT_INPUT).isEqualTo(98);
        assertThat(NfPriority.IPVS_OUT_OUTPUT).isEqualTo(-99);
        assertThat(NfPriority.IPVS_IN_OUTPUT).isEqualTo(-98);
        assertThat(NfPriority.CONNTRACK_CONFIRM).isEqualTo(Integer.MAX_VALUE);
    }
}
