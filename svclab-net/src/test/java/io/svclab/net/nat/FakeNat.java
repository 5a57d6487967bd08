package io.svclab.net.nat;

import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;

/** A NAT core stand-in: records setupInfo calls and rewrites the first packet as the real one would. */
public final class FakeNat implements NatService {

    public final List<String> calls = new ArrayList<>();
    public NatRuleTable table;

    @Override
    public Verdict setupInfo(Packet p, NatRange range, ManipType manip) {
        calls.add(manip + " " + Ip4.format(range.minAddr()) + ":" + range.minPort() + " flags " + range.flags());
        if (manip == ManipType.DST) {
            p.dst = range.minAddr();
            if (range.has(NatRange.PROTO_SPECIFIED)) {
                p.dport = range.minPort();
            }
        } else {
            p.src = range.minAddr();
        }
        return Verdict.ACCEPT;
    }

    @Override
    public void setRuleTable(NatRuleTable table) {
        this.table = table;
    }

    public static FakeNat attachTo(NetNamespace ns) {
        FakeNat f = new FakeNat();
        ns.attach(NatService.class, f);
        return f;
    }
}
