package io.svclab.kernel;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Profiles resolve from the switches' mainline versions and stable backports (contract §3). */
class KernelProfilesTest {

    @Test
    void theMainlineVersionDecidesForUpstreamReleases() {
        assertThat(KernelProfiles.get("5.8").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isFalse();
        assertThat(KernelProfiles.get("5.9").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isTrue();
        assertThat(KernelProfiles.get("5.15").has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE)).isFalse();
        assertThat(KernelProfiles.get("5.16").has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE)).isTrue();
        assertThat(KernelProfiles.get("6.1").has(KernelFeature.TCP_SYN_LINEAR_TIMEOUTS)).isFalse();
        assertThat(KernelProfiles.get("6.12").has(KernelFeature.TCP_SYN_LINEAR_TIMEOUTS)).isTrue();
    }

    @Test
    void stableReleasesPickUpTheBackportsOfTheirLine() {
        // f0a5e4d7 was backported to 4.19.140: 4.19 is without it, 4.19.140 with it
        assertThat(KernelProfiles.get("4.19").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isFalse();
        assertThat(KernelProfiles.get("4.19.139").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isFalse();
        assertThat(KernelProfiles.get("4.19.140").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isTrue();
        // a Debian 5.10.251 kernel reschedules a SYN on a weight-0 real server with conn_reuse_mode=0 (oracle)
        assertThat(KernelProfiles.get("5.10").has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE)).isFalse();
        assertThat(KernelProfiles.get("5.10.251").has(KernelFeature.IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE)).isTrue();
        // a backport to another line does not leak into this one
        assertThat(KernelProfiles.get("5.4.300").has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isFalse();
    }

    @Test
    void rhel7HasTheDropOfTheFirstPacketButNotTheFiveNineFix() {
        KernelProfile p = KernelProfiles.get("3.10");
        assertThat(p.has(KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT)).isTrue();
        assertThat(p.has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isFalse();
        assertThat(p.description()).contains("RHEL/CentOS 7");
    }

    @Test
    void namesThatAreNotKernelVersionsDoNotResolve() {
        for (String bad : new String[] {"", "5", "5.", "x.y", "5.10.1.2", "2.6", "3.9", "7.1", "5.-1", "05.4"}) {
            assertThat(KernelProfiles.find(bad)).as(bad).isEmpty();
        }
        assertThat(KernelProfiles.NAMED).containsExactly("3.10", "4.14", "4.19", "5.4", "5.9", "5.10", "5.15", "5.16",
                "6.1", "6.6", "6.12");
        for (String n : KernelProfiles.NAMED) {
            assertThat(KernelProfiles.find(n)).as(n).isPresent();
        }
    }

    @Test
    void overridesFlipSingleSwitches() {
        KernelProfile p = KernelProfiles.get("4.19").withOverrides(Map.of(
                KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT, true,
                KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT, false));
        assertThat(p.has(KernelFeature.IPVS_DROP_ONLY_CONFIRMED_CT)).isTrue();
        assertThat(p.has(KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT)).isFalse();
        assertThat(KernelProfiles.get("4.19").has(KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT)).isTrue();
    }

    @Test
    void sysctlsFollowTheKernel() {
        assertThat(Sysctl.NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS.existsIn(KernelProfiles.get("6.12"))).isTrue();
        assertThat(Sysctl.NET_IPV4_TCP_SYN_LINEAR_TIMEOUTS.existsIn(KernelProfiles.get("4.19"))).isFalse();
        assertThat(new Sysctls(KernelProfiles.get("4.14")).get(Sysctl.NET_IPV4_TCP_TW_REUSE)).isEqualTo(0);
        assertThat(new Sysctls(KernelProfiles.get("6.12")).get(Sysctl.NET_IPV4_TCP_TW_REUSE)).isEqualTo(2);
        long range = Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE.parse("50000 50001", KernelProfiles.get("6.12"));
        assertThat(Sysctls.low(range)).isEqualTo(50000);
        assertThat(Sysctls.high(range)).isEqualTo(50001);
        assertThat(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE.format(range)).isEqualTo("50000\t50001");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Sysctl.NET_IPV4_TCP_TW_REUSE.parse("2", KernelProfiles.get("4.14")))
                .hasMessage("expected an integer in 0..1, got \"2\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE.parse("60999 32768", KernelProfiles.get("6.12")))
                .hasMessageContaining("LOW <= HIGH");
    }
}
