/**
 * Kernel profiles and sysctls.
 *
 * <h2>Model</h2>
 * A {@link io.svclab.kernel.KernelProfile} is a version and a set of named
 * {@link io.svclab.kernel.KernelFeature} switches; each switch records its upstream commit, first
 * mainline release and known stable backports, so {@code X.Y} resolves to X.Y.0 and
 * {@code X.Y.Z} picks up its line's backports; {@code 3.10} is RHEL/CentOS 7, listed explicitly.
 * Model code asks {@code profile.has(SWITCH)}, never compares versions. {@link io.svclab.kernel.Sysctl}
 * lists the modelled sysctls with ranges, defaults per profile and the switch a key needs to
 * exist; {@link io.svclab.kernel.Sysctls} holds one namespace's values in an array.
 *
 * <h2>Scope and limitations</h2>
 * Switches are added by the subsystem that consults them: the TCP endpoints (port selection,
 * SYN schedule, TIME_WAIT reuse), conntrack (SYN_SENT renewal) and IPVS (the conn_reuse_mode
 * block, counters, TTL). Each switch's Javadoc says how sure its version is: "believed" versions
 * and stable backports inferred from stable-queue mail rather than read from release changelogs
 * are marked as such. The sysctl registry is per kernel only where a switch says so; for example
 * {@code net.ipv4.vs.conn_reuse_mode} exists on every profile although the sysctl appeared in 4.1.
 *
 * <h2>Validation</h2>
 * {@code KernelProfilesTest}; the IPVS oracle (a Debian 5.10.251 kernel behaves like 5.16+).
 */
package io.svclab.kernel;
