package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.Packet;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the conntrack bridge: every packet is reported with an attached entry whose
 * confirmation is {@link #confirmed}; the calls IPVS makes are recorded as text.
 */
final class FakeConntrack implements IpvsConntrack {

    boolean attached = true;
    boolean confirmed;
    final List<String> calls = new ArrayList<>();

    FakeConntrack(boolean confirmed) {
        this.confirmed = confirmed;
    }

    @Override
    public boolean attached(Packet p) {
        return attached;
    }

    @Override
    public boolean attachedEntryConfirmed(Packet p) {
        return attached && confirmed;
    }

    @Override
    public void updateReply(Packet p, int rsAddr, int rsPort) {
        calls.add("updateReply " + Ip4.endpoint(rsAddr, rsPort));
    }

    @Override
    public void notrack(Packet p) {
        calls.add("notrack");
    }

    @Override
    public void dropConntrack(int proto, int caddr, int cport, int vaddr, int vport) {
        calls.add("dropConntrack " + Ip4.endpoint(caddr, cport) + " > " + Ip4.endpoint(vaddr, vport));
    }
}
