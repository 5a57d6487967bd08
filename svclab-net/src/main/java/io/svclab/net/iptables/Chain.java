package io.svclab.net.iptables;

import java.util.ArrayList;
import java.util.List;

/** A chain: built-in (with a policy) or user-defined; its rules, compiled to an array on commit. */
final class Chain {

    final String name;
    final boolean builtin;
    /** {@link Target#ACCEPT} or {@link Target#DROP} for built-in chains. */
    int policy = Target.ACCEPT;
    long policyPackets;
    long policyBytes;
    final List<Rule> rules;
    Rule[] compiled = new Rule[0];

    Chain(String name, boolean builtin) {
        this.name = name;
        this.builtin = builtin;
        this.rules = new ArrayList<>();
    }

    /** A copy for a transaction: same rule objects (their counters and state carry over). */
    Chain copy() {
        Chain c = new Chain(name, builtin);
        c.policy = policy;
        c.policyPackets = policyPackets;
        c.policyBytes = policyBytes;
        c.rules.addAll(rules);
        return c;
    }
}
