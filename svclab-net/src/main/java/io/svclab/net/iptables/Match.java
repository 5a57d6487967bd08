package io.svclab.net.iptables;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;

/** One compiled {@code -m} match of a rule ({@code struct xt_match} plus its info). */
interface Match {

    /** Whether the packet matches; may update the match's own state (statistic nth). */
    boolean test(Packet p, NetNamespace ns);

    /** Appends the iptables-save form, starting with a space: {@code " -m tcp --dport 80"}. */
    void save(StringBuilder b);

    /** The extension name as given to {@code -m}. */
    String name();
}
