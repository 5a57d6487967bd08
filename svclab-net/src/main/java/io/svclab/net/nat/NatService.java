package io.svclab.net.nat;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.netfilter.Verdict;

/**
 * The NAT core of a namespace, as the rule engines see it. Installed with conntrack; found with
 * {@code ns.attachment(NatService.class)}.
 */
public interface NatService {

    /**
     * {@code nf_nat_setup_info}: binds the packet's (unconfirmed) conntrack entry to a mapping for
     * this manip type, choosing a unique tuple ({@code get_unique_tuple}), and alters the entry's
     * reply tuple. Refuses (returns ACCEPT without change) when the entry is confirmed or the manip
     * is already set up. Returns DROP when the packet has no conntrack entry.
     */
    Verdict setupInfo(Packet p, NatRange range, ManipType manip);

    /** Installs the namespace's nat rules (replacing any earlier table). */
    void setRuleTable(NatRuleTable table);
}
