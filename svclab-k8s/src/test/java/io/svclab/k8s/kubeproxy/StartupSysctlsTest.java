package io.svclab.k8s.kubeproxy;

import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupSysctlsTest {

    private static Sysctls started(KubeProxy.Mode mode, String version, String kernel) {
        Lab lab = new Lab(kernel, KubeProxy.Config.defaults(mode, version));
        lab.proxy.start();
        return lab.e.ns().sysctls();
    }

    @ParameterizedTest(name = "kube-proxy {0} on {1}: conn_reuse_mode={2}")
    @CsvSource({
        "1.12, 5.4,  1",
        "1.13, 3.10, 0",
        "1.17, 3.10, 0",
        "1.18, 3.10, 1",
        "1.18, 4.19, 0",
        "1.21, 5.10, 0",
        "1.22, 5.4,  0",
        "1.22, 5.9,  1",
        "1.28, 4.19, 0",
        "1.28, 6.1,  1",
        "1.31, 3.10, 1",
    })
    void connReuseModeByVersionAndKernel(String version, String kernel, int expected) {
        assertThat(started(KubeProxy.Mode.IPVS, version, kernel).get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE))
                .isEqualTo(expected);
    }

    @Test
    void ipvsModeSetsConntrackExpireNodestAndQuiescentTemplate() {
        Sysctls s = started(KubeProxy.Mode.IPVS, "1.28", "6.1");
        assertThat(new int[] {
            s.get(Sysctl.NET_IPV4_VS_CONNTRACK), s.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN),
            s.get(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE), s.get(Sysctl.NET_IPV4_IP_FORWARD),
            s.get(Sysctl.NET_NF_CONNTRACK_MAX), s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED),
            s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT)})
                .containsExactly(1, 1, 1, 1, 131072, 86400, 3600);
    }

    @Test
    void before114TheExpireSysctlsKeepTheKernelDefaults() {
        Sysctls s = started(KubeProxy.Mode.IPVS, "1.13", "4.19");
        assertThat(new int[] {s.get(Sysctl.NET_IPV4_VS_CONNTRACK), s.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN),
            s.get(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE), s.get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE)})
                .containsExactly(1, 0, 0, 0);
    }

    @Test
    void iptablesModeSetsOnlyTheConntrackSysctls() {
        Sysctls s = started(KubeProxy.Mode.IPTABLES, "1.28", "6.1");
        assertThat(new int[] {
            s.get(Sysctl.NET_IPV4_VS_CONNTRACK), s.get(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN),
            s.get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE), s.get(Sysctl.NET_IPV4_IP_FORWARD),
            s.get(Sysctl.NET_NF_CONNTRACK_MAX), s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED),
            s.get(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT)})
                .containsExactly(0, 0, 1, 0, 131072, 86400, 3600);
    }

    @Test
    void conntrackMaxFollowsCpus() {
        assertThat(StartupSysctls.of(KubeProxy.Mode.IPTABLES, 28, io.svclab.kernel.KernelVersion.of(6, 1), 16)
                .get(Sysctl.NET_NF_CONNTRACK_MAX)).isEqualTo(524288L);
    }

    @Test
    void scenarioSysctlsAppliedAfterStartWin() {
        Lab lab = new Lab("5.4", KubeProxy.Config.defaults(KubeProxy.Mode.IPVS, "1.28"));
        lab.proxy.start();
        lab.e.ns().sysctls().set(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 1);
        assertThat(lab.e.ns().sysctls().get(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE)).isEqualTo(1);
    }
}
