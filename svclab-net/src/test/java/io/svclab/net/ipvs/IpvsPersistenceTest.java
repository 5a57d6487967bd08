package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import io.svclab.net.Ip4;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistence templates (kube-proxy sessionAffinity: ClientIP), spec 2.6 and 1.6. */
class IpvsPersistenceTest {

    private static IpvsNode affinity(String kernel) {
        IpvsNode n = new IpvsNode(kernel);
        n.run("ipvsadm -A -t 10.250.100.100:80 -s rr -p 10800");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.2.2:8080 -m -w 1");
        n.run("ipvsadm -a -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 1");
        return n;
    }

    @Test
    void aTemplatePinsTheClientToOneServerAndIsListedAsNone() {
        IpvsNode n = affinity("6.1");
        assertThat(n.synGoesTo(40000)).isEqualTo("rs2");
        assertThat(n.synGoesTo(40001)).isEqualTo("rs2");
        assertThat(n.synGoesTo(40002)).isEqualTo("rs2");
        assertThat(n.dest(IpvsNode.RS2).persistConns()).isEqualTo(1);
        assertThat(n.dest(IpvsNode.RS2).activeConns()).isEqualTo(3);
        assertThat(n.adm.exec("ipvsadm -Lnc").stdout().split("\n")).contains(
                "TCP 180:00 NONE        10.250.1.2:0       10.250.100.100:80  10.250.3.2:8080");
    }

    @Test
    void timeWaitReuseIsNotRescheduledForControlledEntries() {
        IpvsNode n = affinity("6.1");
        n.closedConnection(40000);
        assertThat(n.synGoesTo(40000)).isEqualTo("rs2");
        assertThat(n.conn(40000).stateName()).isEqualTo("SYN_RECV");
    }

    @Test
    void weight0WithExpireQuiescentTemplateInvalidatesTheTemplate() {
        IpvsNode n = affinity("6.1");
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE, 1);
        n.synGoesTo(40000);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        assertThat(n.synGoesTo(40001)).isEqualTo("rs1");
        assertThat(n.adm.exec("ipvsadm -Lnc").stdout()).contains(
                "TCP 180:00 NONE        10.250.1.2:0       10.250.100.100:65535 10.250.3.2:65535\n");
    }

    @Test
    void weight0WithoutExpireQuiescentTemplateKeepsSendingToIt() {
        IpvsNode n = affinity("6.1");
        n.synGoesTo(40000);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        assertThat(n.synGoesTo(40001)).isEqualTo("rs2");
    }

    @Test
    void templateOutlivesItsConnectionsAndRetriesEvery60sWhileItControlsOne() {
        IpvsNode n = affinity("6.1");
        n.run("ipvsadm -E -t 10.250.100.100:80 -s rr -p 30");
        n.synGoesTo(40000);
        IpvsConn t = template(n);
        assertThat(t.expiresInSeconds()).isEqualTo(30);
        n.seconds(30);
        // the SYN_RECV entry (60 s) still references the template: retry in 60 s
        assertThat(template(n)).isSameAs(t);
        assertThat(t.expiresInSeconds()).isEqualTo(60);
        n.seconds(30);
        assertThat(n.conn(40000)).isNull();
        n.seconds(30);
        assertThat(template(n)).isNull();
        assertThat(n.dest(IpvsNode.RS2).persistConns()).isZero();
    }

    private static IpvsConn template(IpvsNode n) {
        for (IpvsConn c : n.ipvs.connections()) {
            if (c.template()) {
                return c;
            }
        }
        return null;
    }

    @Test
    void weight0BranchAppliesToControlledEntriesWithExpireNodest() {
        IpvsNode n = affinity("6.1");
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE, 1);
        n.closedConnection(40000);
        n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        assertThat(n.synGoesTo(40000)).isEqualTo("rs1");
        assertThat(n.conn(40000).destAddr()).isEqualTo(Ip4.parse(IpvsNode.RS1));
        n.client(40000, TcpFlags.ACK);
    }
}
