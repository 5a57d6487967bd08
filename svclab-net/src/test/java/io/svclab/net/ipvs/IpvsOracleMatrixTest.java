package io.svclab.net.ipvs;

import io.svclab.kernel.Sysctl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IPVS oracle of /work/shared/oracle/README.md part B (Debian 6.1.0-56, identical in three
 * runs): connection #1 from 10.250.1.2:P ends in TIME_WAIT on the real server that answered
 * (rs2); that server is set to weight 0 or deleted; connection #2 from the same P. With
 * conntrack on, conntrack has already replaced the TIME_WAIT entry with a new unconfirmed one,
 * so the bridge reports the attached entry as unconfirmed.
 */
class IpvsOracleMatrixTest {

    @ParameterizedTest(name = "reuse={0} nodest={1} {2} ct={3} -> {4}")
    @CsvSource({
        // reuse, nodest, change, ct, outcome (README part B table)
        "0, 0, weight0, 0, same",
        "0, 0, weight0, 1, same",
        "0, 0, delete,  0, dropped",
        "0, 0, delete,  1, dropped",
        "0, 1, weight0, 0, rescheduled",
        "0, 1, weight0, 1, rescheduled",
        "0, 1, delete,  0, rescheduled",
        "0, 1, delete,  1, rescheduled",
        "1, 0, weight0, 0, rescheduled",
        "1, 0, weight0, 1, rescheduled",
        "1, 0, delete,  0, rescheduled",
        "1, 0, delete,  1, rescheduled",
        "1, 1, weight0, 0, rescheduled",
        "1, 1, weight0, 1, rescheduled",
        "1, 1, delete,  0, rescheduled",
        "1, 1, delete,  1, rescheduled",
    })
    void timeWaitEntryAndSynFromTheSamePort(int reuse, int nodest, String change, int ct, String outcome) {
        IpvsNode n = new IpvsNode("6.1", ct == 1 ? new FakeConntrack(false) : IpvsConntrack.NONE);
        n.sysctl(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, reuse);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, nodest);
        n.sysctl(Sysctl.NET_IPV4_VS_CONNTRACK, ct);
        n.sysctl(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE, 1);
        n.withTwoServers();

        assertThat(n.closedConnection(40001)).isEqualTo(IpvsNode.RS2);
        n.seconds(0.5);
        if (change.equals("weight0")) {
            n.run("ipvsadm -e -t 10.250.100.100:80 -r 10.250.3.2:8080 -m -w 0");
        } else {
            n.run("ipvsadm -d -t 10.250.100.100:80 -r 10.250.3.2:8080");
        }
        n.seconds(0.02);

        String to = n.synGoesTo(40001);
        switch (outcome) {
            case "same":
                assertThat(to).isEqualTo("rs2");
                assertThat(n.conn(40001).stateName()).isEqualTo("SYN_RECV");
                break;
            case "rescheduled":
                assertThat(to).isEqualTo("rs1");
                assertThat(n.conn(40001).destAddr()).isEqualTo(io.svclab.net.Ip4.parse(IpvsNode.RS1));
                break;
            default:
                assertThat(to).isEqualTo("none");
                assertThat(n.conn(40001).stateName()).isEqualTo("TIME_WAIT");
                assertThat(n.conn(40001).expiresInSeconds()).isEqualTo(119);
        }
        // the control connection from another port always goes to rs1
        assertThat(n.synGoesTo(41001)).isEqualTo("rs1");
    }
}
