package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpvsadmTest {

    private final IpvsNode n = new IpvsNode("6.1");

    @Test
    void errorsAreTheMessagesOfIpvsadm() {
        assertThat(n.adm.exec("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m"))
                .isEqualTo(new Ipvsadm.Result(1, "", "Service not defined\n"));
        n.run("ipvsadm -A -t 10.96.0.10:80 -s rr");
        assertThat(n.adm.exec("ipvsadm -A -t 10.96.0.10:80 -s rr").stderr()).isEqualTo("Service already exists\n");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m");
        assertThat(n.adm.exec("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m").stderr())
                .isEqualTo("Destination already exists\n");
        assertThat(n.adm.exec("ipvsadm -d -t 10.96.0.10:80 -r 10.244.1.6:8080").stderr())
                .isEqualTo("No such destination\n");
        assertThat(n.adm.exec("ipvsadm -D -t 10.96.0.11:80").stderr()).isEqualTo("No such service\n");
        assertThat(n.adm.exec("ipvsadm -A -t 10.96.0.12:80 -s foo").stderr()).isEqualTo("Scheduler not found\n");
        assertThat(n.adm.exec("ipvsadm -A -t 10.96.0.12:80 -Q").exitCode()).isEqualTo(2);
        assertThat(n.adm.exec("ipvsadm -A -t 10.96.0.300:80").exitCode()).isEqualTo(2);
    }

    @Test
    void defaultsAreWlcAndDirectRoutingWithWeight1() {
        n.run("ipvsadm -A -t 10.96.0.10:80");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080");
        IpvsService s = n.ipvs.service(6, Ip4.parse("10.96.0.10"), 80);
        assertThat(s.schedulerName()).isEqualTo("wlc");
        assertThat(s.dests().get(0).forwarding()).isEqualTo(IpvsDest.FWD_DROUTE);
        assertThat(s.dests().get(0).weight()).isEqualTo(1);
        assertThat(n.adm.exec("ipvsadm -Ln").stdout())
                .contains("  -> 10.244.1.5:8080              Route   1      0          0         \n");
        // -e without -m switches the server to direct routing, as the real tool does
        n.run("ipvsadm -e -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 3");
        assertThat(s.dests().get(0).forwarding()).isEqualTo(IpvsDest.FWD_MASQ);
        n.run("ipvsadm -e -t 10.96.0.10:80 -r 10.244.1.5:8080 -w 3");
        assertThat(s.dests().get(0).forwarding()).isEqualTo(IpvsDest.FWD_DROUTE);
    }

    @Test
    void setChangesEstablishedFinWaitAndUdpOnly() {
        assertThat(n.adm.exec("ipvsadm -L --timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
        n.run("ipvsadm --set 300 60 0");
        assertThat(n.adm.exec("ipvsadm -L --timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 300 60 300\n");
        assertThat(n.ipvs.tcpTimeout(IpvsTcpStates.TIME_WAIT)).isEqualTo(120);
    }

    @Test
    void setTimeoutAppliesToTheNextPacket() {
        n.withTwoServers();
        n.run("ipvsadm --set 300 60 0");
        n.client(40000, io.svclab.net.TcpFlags.SYN);
        n.server(IpvsNode.RS2, 40000, io.svclab.net.TcpFlags.SYN | io.svclab.net.TcpFlags.ACK);
        n.client(40000, io.svclab.net.TcpFlags.ACK);
        assertThat(n.conn(40000).expiresInSeconds()).isEqualTo(300);
        n.server(IpvsNode.RS2, 40000, io.svclab.net.TcpFlags.FIN | io.svclab.net.TcpFlags.ACK);
        assertThat(n.conn(40000).stateName()).isEqualTo("FIN_WAIT");
        assertThat(n.conn(40000).expiresInSeconds()).isEqualTo(60);
    }

    @Test
    void clearAndDeleteServiceSendDestsToTheTrash() {
        n.withTwoServers();
        n.closedConnection(40000);
        n.run("ipvsadm -C");
        assertThat(n.ipvs.services()).isEmpty();
        assertThat(n.ipvs.trash()).hasSize(2);
        // the trash timer runs every 60 s; an unreferenced dest is first marked idle (t=60), then freed
        // 120 s later (t=180); the one referenced by the TIME_WAIT entry (gone at t=120) stays longer
        n.seconds(121);
        assertThat(n.ipvs.trash()).hasSize(2);
        n.seconds(60);
        assertThat(n.ipvs.trash()).extracting(d -> Ip4.format(d.addr())).containsExactly(IpvsNode.RS2);
        n.seconds(120);
        assertThat(n.ipvs.trash()).isEmpty();
    }

    @Test
    void schedFlagsAndOpsAreShown() {
        n.run("ipvsadm -A -t 10.96.0.10:80 -s sh -b sh-fallback,sh-port");
        n.run("ipvsadm -A -u 10.96.0.10:53 -s rr -o");
        assertThat(n.adm.exec("ipvsadm -Ln").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.96.0.10:80 sh (sh-fallback,sh-port)\n"
                + "UDP  10.96.0.10:53 rr ops\n");
    }

    @Test
    void saveWritesRulesThatRestoreTheSameTable() {
        n.run("ipvsadm -A -t 10.96.0.10:80 -s rr -p 10800");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.2.7:8080 -m -w 0");
        n.run("ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1 -x 100 -y 50");
        n.run("ipvsadm -A -u 10.96.0.10:53 -s sh -b sh-port");
        n.run("ipvsadm -a -u 10.96.0.10:53 -r 10.244.1.5:53 -w 2");
        String saved = n.adm.exec("ipvsadm -Sn").stdout();
        assertThat(saved).isEqualTo(""
                + "-A -t 10.96.0.10:80 -s rr -p 10800\n"
                + "-a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1 -x 100 -y 50\n"
                + "-a -t 10.96.0.10:80 -r 10.244.2.7:8080 -m -w 0\n"
                + "-A -u 10.96.0.10:53 -s sh -b sh-port\n"
                + "-a -u 10.96.0.10:53 -r 10.244.1.5:53 -g -w 2\n");
        IpvsNode other = new IpvsNode("6.1");
        for (String line : saved.split("\n")) {
            other.run("ipvsadm " + line);
        }
        assertThat(other.adm.exec("ipvsadm -Sn").stdout()).isEqualTo(saved);
        assertThat(other.adm.exec("ipvsadm -Ln").stdout()).isEqualTo(n.adm.exec("ipvsadm -Ln").stdout());
    }
}
