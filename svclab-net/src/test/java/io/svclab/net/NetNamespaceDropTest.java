package io.svclab.net;

import io.svclab.net.trace.DropReason;
import io.svclab.net.trace.LinkTransmitted;
import io.svclab.net.trace.PacketDropped;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A frame on the wire to a namespace that goes away, or to a device that goes down, before it
 * arrives is dropped with a reason (it used to vanish without a trace event).
 */
class NetNamespaceDropTest {

    private static final long MS = 1_000_000;

    /** Runs until the router has put the SYN on the wire towards the server. */
    private static void untilForwarded(TwoHosts t) {
        while (t.trace.of(LinkTransmitted.class).stream().noneMatch(e -> e.where().equals("router")
                && e.packet().contains("[S]"))) {
            assertThat(t.sim.step(10 * MS)).isTrue();
        }
    }

    @Test
    void aFrameForADestroyedNamespaceIsDroppedWithDeviceDown() {
        TwoHosts t = new TwoHosts();
        t.sendSyn(40000);
        untilForwarded(t);
        t.server.destroy();
        t.sim.runUntil(10 * MS);
        assertThat(t.serverGot).isEmpty();
        assertThat(t.trace.of(PacketDropped.class)).extracting(PacketDropped::where, PacketDropped::reason)
                .containsExactly(tuple("server", DropReason.DEVICE_DOWN));
        assertThat(t.net.pool().available()).isEqualTo(t.net.pool().allocated());
    }

    @Test
    void aFrameForADeviceThatWentDownIsDroppedWithDeviceDown() {
        TwoHosts t = new TwoHosts();
        t.sendSyn(40000);
        untilForwarded(t);
        t.server.setLinkDown(t.serverEth);
        t.sim.runUntil(10 * MS);
        assertThat(t.serverGot).isEmpty();
        assertThat(t.trace.of(PacketDropped.class)).extracting(PacketDropped::where, PacketDropped::reason)
                .containsExactly(tuple("server", DropReason.DEVICE_DOWN));
    }
}
