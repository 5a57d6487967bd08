package io.svclab.net.netfilter;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;

/**
 * One netfilter hook function ({@code nf_hookfn}): does one job on a packet and returns a verdict.
 * It knows nothing of the other functions on the chain. It may rewrite the packet in place; if it
 * returns {@link Verdict#STOLEN} it owns the packet from then on.
 */
@FunctionalInterface
public interface HookFn {

    Verdict apply(Packet packet, NetNamespace ns, Hook hook);
}
