package io.svclab.kernel;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The registry of kernel profiles.
 *
 * <p>Any {@code X.Y} or {@code X.Y.Z} from 4.0 on resolves to a profile computed from the
 * switches' mainline versions and stable backports. {@code 3.10} is the RHEL/CentOS 7 kernel,
 * whose switches are listed explicitly (Red Hat backported selectively). {@link #NAMED} are the
 * profiles {@code svclab version} lists; the rest resolve on demand.
 */
public final class KernelProfiles {

    /** The profiles listed by {@code svclab version}, oldest first. */
    public static final List<String> NAMED = List.of(
            "3.10", "4.14", "4.19", "5.4", "5.9", "5.10", "5.15", "5.16", "6.1", "6.6", "6.12");

    /** The oldest upstream line a computed profile may name. */
    private static final KernelVersion OLDEST_COMPUTED = KernelVersion.of(4, 0);

    private KernelProfiles() {
    }

    /**
     * The switches of the RHEL/CentOS 7 kernel (3.10.0-xxx.el7): the IPVS drop of the first packet
     * to redirect conntrack was backported (the 1 s / 3 s delays of kubernetes#70747 were seen on
     * it); the 5.9 conntrack fix was not.
     */
    private static final EnumSet<KernelFeature> RHEL7 = EnumSet.of(
            KernelFeature.IPVS_DROP_FIRST_PACKET_TO_REDIRECT_CT);

    /** Resolves a profile name, or empty when the name is not a supported kernel version. */
    public static Optional<KernelProfile> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim();
        if (n.equals("3.10")) {
            return Optional.of(new KernelProfile("3.10", KernelVersion.of(3, 10),
                    "RHEL/CentOS 7 (3.10.0-*.el7, selected backports)", EnumSet.copyOf(RHEL7)));
        }
        KernelVersion v = KernelVersion.parseOrNull(n);
        if (v == null || !v.atLeast(OLDEST_COMPUTED) || v.major() > 6) {
            return Optional.empty();
        }
        EnumSet<KernelFeature> f = EnumSet.noneOf(KernelFeature.class);
        for (KernelFeature k : KernelFeature.values()) {
            if (k.presentIn(v)) {
                f.add(k);
            }
        }
        String what = v.patch() == 0 ? "upstream " + v + ".0, before stable backports" : "stable " + v;
        return Optional.of(new KernelProfile(v.toString(), v, what, f));
    }

    /** Like {@link #find(String)} for names known to be valid (the named list, tests). */
    public static KernelProfile get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown kernel profile " + name));
    }

    /** A one-line hint for error messages. */
    public static String hint() {
        return "a kernel version such as " + String.join(", ", NAMED) + " or a stable release such as 5.10.251";
    }
}
