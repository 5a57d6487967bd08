package io.svclab.net.tcp;

import io.svclab.kernel.Sysctl;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import static io.svclab.net.tcp.TcpHosts.CLIENT;
import static io.svclab.net.tcp.TcpHosts.MS;
import static io.svclab.net.tcp.TcpHosts.S;
import static io.svclab.net.tcp.TcpHosts.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** TIME_WAIT lifetime and reuse of a fixed 4-tuple (spec §7.2, CL-3, CL-7; §7.5). */
class TimeWaitTest {

    @Test
    void timeWaitLastsExactlySixtySecondsFromThePeersFin() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec());
        t.connect(t.toServer().withSourcePort(40000));
        // the server's FIN reaches the client at 800 us
        t.runUntil(60 * S + 800_000 - 1);
        assertThat(t.clientTcp.socketState(40000, SERVER, 8080)).isEqualTo(TcpState.TIME_WAIT);
        t.runUntil(60 * S + 800_000);
        assertThat(t.clientTcp.socketState(40000, SERVER, 8080)).isNull();
    }

    @Test
    void withoutTimestampsTimeWaitBlocksAFixedPortUntilItExpires() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TIMESTAMPS, 0);
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TW_REUSE, 1);
        t.listen(new ServerSpec());
        t.connect(t.toServer().withSourcePort(40000));
        t.runUntil(10 * S);
        t.connect(t.toServer().withSourcePort(40000));
        assertThat(t.last().result()).isEqualTo(ConnectResult.EADDRNOTAVAIL);
        t.runUntil(61 * S);
        t.connect(t.toServer().withSourcePort(40000));
        t.runUntil(62 * S);
        assertThat(t.last().result()).isEqualTo(ConnectResult.OK);
    }

    @Test
    void withTimestampsAnExplicitlyBoundPortTakesOverTimeWaitAtOnceWhateverTwReuseSays() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TW_REUSE, 0);
        t.listen(new ServerSpec());
        t.connect(t.toServer().withSourcePort(40000));
        t.runUntil(1 * MS);
        assertThat(t.clientTcp.socketState(40000, SERVER, 8080)).isEqualTo(TcpState.TIME_WAIT);
        t.connect(t.toServer().withSourcePort(40000));
        t.runUntil(2 * MS);
        assertThat(t.last().result()).isEqualTo(ConnectResult.OK);
        // the new ISN continues the old sequence space: old snd_nxt (ISN + 102) + 65535 + 2
        assertThat(t.synSeqs.get(1) - t.synSeqs.get(0)).isEqualTo(65639);
    }

    /** A server TIME_WAIT left by a server-first close, timestamps off on both ends. */
    private static TcpHosts serverTimewaitWithoutTimestamps() {
        TcpHosts t = new TcpHosts("6.12");
        t.client.sysctls().set(Sysctl.NET_IPV4_TCP_TIMESTAMPS, 0);
        t.server.sysctls().set(Sysctl.NET_IPV4_TCP_TIMESTAMPS, 0);
        t.listen(new ServerSpec().closer(Closer.SERVER, CloseKind.FIN));
        t.connect(t.toServer().withSourcePort(40000).closedBy(Closer.SERVER, CloseKind.FIN));
        t.runUntil(10 * MS);
        assertThat(t.serverTcp.socketState(8080, CLIENT, 40000)).isEqualTo(TcpState.TIME_WAIT);
        return t;
    }

    /** A bare SYN from the client's address and port 40000, bypassing the client's sockets. */
    private static void injectSyn(TcpHosts t, int seq) {
        Packet p = t.net.pool().acquire();
        p.proto = IpProto.TCP;
        p.src = CLIENT;
        p.sport = 40000;
        p.dst = SERVER;
        p.dport = 8080;
        p.tcpFlags = TcpFlags.SYN;
        p.seq = seq;
        t.client.send(p);
    }

    @Test
    void oldSynToAServerTimeWaitIsAnsweredWithAnAckWhichTheClientResets() {
        TcpHosts t = serverTimewaitWithoutTimestamps();
        int isn = t.synSeqs.get(0);
        t.wire.clear();
        injectSyn(t, isn + 50); // before the old rcv_nxt (isn + 102)
        t.runUntil(20 * MS);
        assertThat(t.wire).hasSize(3);
        assertThat(t.wire.get(1)).startsWith("10150000 s>c [.] ").contains("ack " + Integer.toUnsignedString(isn + 102 - (isn + 50)));
        // no socket at the client: RST with seq = that ack = rcv_nxt, which kills the TIME_WAIT (rfc1337=0)
        assertThat(t.wire.get(2)).startsWith("10250000 c>s [R] seq 52 ");
        assertThat(t.serverTcp.socketState(8080, CLIENT, 40000)).isNull();
    }

    @Test
    void newerSynToAServerTimeWaitOpensAConnectionWithIsnAboveTheOldSndNxt() {
        TcpHosts t = serverTimewaitWithoutTimestamps();
        int isn = t.synSeqs.get(0);
        int serverIsn = t.synAckSeqs.get(0);
        injectSyn(t, isn + 200_000);
        t.runUntil(20 * MS);
        assertThat(t.synAckSeqs).hasSize(2);
        assertThat(t.synAckSeqs.get(1) - serverIsn).isEqualTo(1002 + 65537);
        // the client has no socket for the SYN-ACK: its RST (seq = ack = rcv_nxt) drops the request
        assertThat(t.wire).last().asString().contains("c>s [R]");
        assertThat(t.serverTcp.socketState(8080, CLIENT, 40000)).isNull();
    }

    @Test
    void synWithNewerTimestampReopensAServerTimeWaitWithAHigherIsn() {
        TcpHosts t = new TcpHosts("6.12");
        t.listen(new ServerSpec().closer(Closer.SERVER, CloseKind.FIN));
        t.connect(t.toServer().withSourcePort(40000).closedBy(Closer.SERVER, CloseKind.FIN));
        t.runUntil(10 * MS);
        assertThat(t.serverTcp.socketState(8080, CLIENT, 40000)).isEqualTo(TcpState.TIME_WAIT);
        t.connect(t.toServer().withSourcePort(40000).closedBy(Closer.SERVER, CloseKind.FIN));
        t.runUntil(20 * MS);
        ConnectionRecord r = t.last();
        assertThat(r.result()).isEqualTo(ConnectResult.OK);
        assertThat(r.connectNs()).isEqualTo(200_000);
        // the SYN-ACK's ISN is the old snd_nxt (ISN + 1002) + 65535 + 2 (tcp_timewait_state_process)
        assertThat(t.synAckSeqs.get(1) - t.synAckSeqs.get(0)).isEqualTo(66539);
    }
}
