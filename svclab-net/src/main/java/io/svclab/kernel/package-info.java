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
 * Switches are added by the subsystem that consults them; this build's network layer consults
 * none yet (the TCP and IPVS models will). Versions marked "believed" in a switch's Javadoc
 * (TCP_PORT_PERTURB_TABLE, TCP_TW_REUSE_LOOPBACK_DEFAULT) and the exact stable backports of
 * IPVS_WEIGHT0_RESCHED_ANY_REUSE_MODE (known present in 5.10.251) are to be pinned against the
 * kernel's history by the issues that use them.
 *
 * <h2>Validation</h2>
 * {@code KernelProfilesTest}; the IPVS oracle (a Debian 5.10.251 kernel behaves like 5.16+).
 */
package io.svclab.kernel;
