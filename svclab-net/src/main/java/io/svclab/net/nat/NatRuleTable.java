package io.svclab.net.nat;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.Verdict;

/**
 * The nat table's rules for one namespace (iptables {@code -t nat}, or nftables chains of type
 * nat). The NAT core calls it only for a packet whose conntrack entry is NEW or RELATED and whose
 * manip of this hook's type is not yet set up ({@code nf_nat_inet_fn}); its DNAT, SNAT and
 * MASQUERADE targets call {@link NatService#setupInfo}. If no target set up a binding, the core
 * installs a null binding afterwards.
 */
@FunctionalInterface
public interface NatRuleTable {

    /** Runs the chain of this hook (PREROUTING, INPUT, OUTPUT, POSTROUTING) on the packet. */
    Verdict run(Packet p, NetNamespace ns, Hook hook);
}
