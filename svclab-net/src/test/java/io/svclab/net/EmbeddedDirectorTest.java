package io.svclab.net;

import io.svclab.net.conntrack.Conn;
import io.svclab.net.ipvs.IpvsConn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark director tracks each flow once in conntrack and once in IPVS, round robin over its two servers. */
class EmbeddedDirectorTest {

    @Test
    void aSynCreatesOneConntrackAndOneIpvsEntryAndTheHandshakeNoMore() {
        EmbeddedDirector d = new EmbeddedDirector("5.10", 1000);
        int ct0 = d.conntrack().count();
        int ipvs0 = d.ipvs().connectionCount();
        for (int i = 10; i < 14; i++) {
            d.segment(i, TcpFlags.SYN);
        }
        assertThat(d.conntrack().count() - ct0).isEqualTo(4);
        assertThat(d.ipvs().connectionCount() - ipvs0).isEqualTo(4);
        d.reply(10, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001);
        d.segment(10, TcpFlags.ACK);
        d.segment(10, TcpFlags.ACK);
        d.open(11);
        assertThat(d.conntrack().count() - ct0).isEqualTo(4);
        assertThat(d.ipvs().connectionCount() - ipvs0).isEqualTo(4);

        // flow 10: 10.1.0.2:1034 -> VIP:80, DNAT to a real server on 8080; flows alternate servers
        Conn c10 = d.conntrack().lookup(IpProto.TCP, Ip4.parse("10.1.0.2"), Ip4.parse("10.96.0.10"), 1034, 80);
        assertThat(c10.toString()).contains("ESTABLISHED src=10.1.0.2 dst=10.96.0.10 sport=1034 dport=80 src=");
        assertThat(d.conntrack().lookup(IpProto.TCP, Ip4.parse("10.1.0.2"), Ip4.parse("10.96.0.10"), 1036, 80)
                .toString()).contains("SYN_SENT");
        IpvsConn i10 = d.ipvs().connection(IpProto.TCP, Ip4.parse("10.1.0.2"), 1034, Ip4.parse("10.96.0.10"), 80);
        IpvsConn i11 = d.ipvs().connection(IpProto.TCP, Ip4.parse("10.1.0.2"), 1035, Ip4.parse("10.96.0.10"), 80);
        assertThat(i10.destPort()).isEqualTo(8080);
        assertThat(c10.replySrc()).isEqualTo(i10.destAddr());
        assertThat(Ip4.format(i10.destAddr()) + " " + Ip4.format(i11.destAddr()))
                .isIn("10.250.2.2 10.250.3.2", "10.250.3.2 10.250.2.2");
    }

    @Test
    void flowIndicesMapToDistinctClientAddressesAndPorts() {
        assertThat(Ip4.format(EmbeddedDirector.clientAddr(0))).isEqualTo("10.1.0.2");
        assertThat(EmbeddedDirector.clientPort(0)).isEqualTo(1024);
        assertThat(Ip4.format(EmbeddedDirector.clientAddr(60_000))).isEqualTo("10.1.0.3");
        assertThat(EmbeddedDirector.clientPort(59_999)).isEqualTo(61_023);
    }
}
