package io.svclab.k8s.kubeproxy;

import io.svclab.kernel.KernelVersion;
import io.svclab.kernel.Sysctl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sysctls kube-proxy writes at start-up, by mode, kube-proxy version and running kernel
 * (spec ipvs-kube-proxy.md §5.1, conntrack-nat-tcp.md §6.2 and §6.3):
 * <table>
 *   <caption>Start-up sysctls</caption>
 *   <tr><th>sysctl</th><th>value</th><th>when</th></tr>
 *   <tr><td>{@code net.netfilter.nf_conntrack_max}</td><td>max(131072, 32768 × cpus)</td><td>every mode
 *       ({@code --conntrack-min}, {@code --conntrack-max-per-core} defaults)</td></tr>
 *   <tr><td>{@code nf_conntrack_tcp_timeout_established}</td><td>86400</td><td>every mode</td></tr>
 *   <tr><td>{@code nf_conntrack_tcp_timeout_close_wait}</td><td>3600</td><td>every mode</td></tr>
 *   <tr><td>{@code net.ipv4.vs.conntrack}</td><td>1</td><td>IPVS</td></tr>
 *   <tr><td>{@code net.ipv4.vs.conn_reuse_mode}</td><td>0</td><td>IPVS: 1.13–1.17 always (PR #71114);
 *       1.18–1.21 when kernel ≥ 4.1 (PR #88541); 1.22+ when 4.1 ≤ kernel &lt; 5.9 (PR #102122);
 *       otherwise left alone</td></tr>
 *   <tr><td>{@code net.ipv4.vs.expire_nodest_conn}</td><td>1</td><td>IPVS, 1.14+ (PR #71834, merged
 *       December 2018)</td></tr>
 *   <tr><td>{@code net.ipv4.vs.expire_quiescent_template}</td><td>1</td><td>IPVS, 1.14+ (same PR)</td></tr>
 *   <tr><td>{@code net.ipv4.ip_forward}</td><td>1</td><td>IPVS</td></tr>
 * </table>
 * The 1.20/1.21 patch releases that received the 5.9 check by cherry-pick (January 2022,
 * #107437/#107438) are not distinguished: a version is a minor release and behaves as its .0.
 * The kernel version is the upstream one the profile names: vendor backports are not recognised,
 * as kube-proxy does not recognise them.
 */
public final class StartupSysctls {

    /** {@code --conntrack-min} default. */
    public static final int CONNTRACK_MIN = 131072;
    /** {@code --conntrack-max-per-core} default. */
    public static final int CONNTRACK_MAX_PER_CORE = 32768;

    private static final KernelVersion REUSE_MIN_KERNEL = KernelVersion.of(4, 1);
    private static final KernelVersion REUSE_FIXED_KERNEL = KernelVersion.of(5, 9);

    private StartupSysctls() {
    }

    /**
     * The sysctls in the order kube-proxy writes them (conntrack first, from the server set-up,
     * then the IPVS proxier's).
     *
     * @param minor kube-proxy minor version ({@code 1.NN} → NN)
     * @param cpus the node's CPU count for {@code nf_conntrack_max}
     */
    public static Map<Sysctl, Long> of(KubeProxy.Mode mode, int minor, KernelVersion kernel, int cpus) {
        Map<Sysctl, Long> out = new LinkedHashMap<>();
        out.put(Sysctl.NET_NF_CONNTRACK_MAX, (long) Math.max(CONNTRACK_MIN, CONNTRACK_MAX_PER_CORE * cpus));
        out.put(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_ESTABLISHED, 86400L);
        out.put(Sysctl.NET_NF_CONNTRACK_TCP_TIMEOUT_CLOSE_WAIT, 3600L);
        if (mode != KubeProxy.Mode.IPVS) {
            return out;
        }
        out.put(Sysctl.NET_IPV4_VS_CONNTRACK, 1L);
        if (setsConnReuseModeZero(minor, kernel)) {
            out.put(Sysctl.NET_IPV4_VS_CONN_REUSE_MODE, 0L);
        }
        if (minor >= 14) {
            out.put(Sysctl.NET_IPV4_VS_EXPIRE_NODEST_CONN, 1L);
            out.put(Sysctl.NET_IPV4_VS_EXPIRE_QUIESCENT_TEMPLATE, 1L);
        }
        out.put(Sysctl.NET_IPV4_IP_FORWARD, 1L);
        return out;
    }

    /** Whether this kube-proxy sets {@code conn_reuse_mode=0} on this kernel. */
    public static boolean setsConnReuseModeZero(int minor, KernelVersion kernel) {
        if (minor < 13) {
            return false;
        }
        if (minor < 18) {
            return true;
        }
        if (!kernel.atLeast(REUSE_MIN_KERNEL)) {
            return false;
        }
        return minor < 22 || !kernel.atLeast(REUSE_FIXED_KERNEL);
    }
}
