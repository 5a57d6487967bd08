package io.svclab.net.ipvs;

import io.svclab.net.IpProto;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnTableTest {

    @Test
    void thousandsOfEntriesAreFoundBothWaysAndExpireCleanly() {
        IpvsNode n = new IpvsNode("6.1").withTwoServers();
        for (int port = 20000; port < 25000; port++) {
            n.client(port, TcpFlags.SYN);
        }
        assertThat(n.ipvs.connectionCount()).isEqualTo(5000);
        assertThat(n.conn(20000).destAddr()).isEqualTo(io.svclab.net.Ip4.parse(IpvsNode.RS2));
        assertThat(n.conn(20001).destAddr()).isEqualTo(io.svclab.net.Ip4.parse(IpvsNode.RS1));
        assertThat(n.server(IpvsNode.RS1, 24999, TcpFlags.SYN | TcpFlags.ACK)).hasSize(1);
        assertThat(n.dest(IpvsNode.RS1).activeConns() + n.dest(IpvsNode.RS2).activeConns()).isEqualTo(5000);
        n.seconds(60);
        assertThat(n.ipvs.connectionCount()).isZero();
        assertThat(n.conn(24999)).isNull();
        assertThat(n.ipvs.connection(IpProto.TCP, 0, 0, 0, 0)).isNull();
        assertThat(n.dest(IpvsNode.RS1).activeConns() + n.dest(IpvsNode.RS2).activeConns()).isZero();
    }
}
