package io.svclab.net.nat;

import io.svclab.net.netfilter.Hook;

/** {@code enum nf_nat_manip_type}: which half of the tuple a NAT hook rewrites. */
public enum ManipType {
    /** Source NAT: POSTROUTING and INPUT (SNAT, MASQUERADE). */
    SRC,
    /** Destination NAT: PREROUTING and OUTPUT (DNAT). */
    DST;

    /** {@code HOOK2MANIP}. */
    public static ManipType of(Hook hook) {
        return hook.isDestinationManip() ? DST : SRC;
    }
}
