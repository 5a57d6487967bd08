package io.svclab.net.ipvs;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.conntrack.Conn;
import io.svclab.net.conntrack.Conntrack;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.conntrack.CtInfo;

/**
 * IPVS's side of its meeting with netfilter conntrack ({@code net/netfilter/ipvs/ip_vs_nfct.c}):
 * the answers and changes {@link IpvsConntrack} asks for, on a namespace's
 * {@link ConntrackTable}.
 */
public final class IpvsNfct implements IpvsConntrack {

    private final ConntrackTable table;

    private IpvsNfct(ConntrackTable table) {
        this.table = table;
    }

    /** The bridge for a namespace with conntrack installed, else {@link IpvsConntrack#NONE}. */
    public static IpvsConntrack of(NetNamespace ns) {
        ConntrackTable t = ns.attachment(ConntrackTable.class);
        return t == null ? NONE : new IpvsNfct(t);
    }

    @Override
    public boolean attached(Packet p) {
        return p.nfct != null;
    }

    @Override
    public boolean attachedEntryConfirmed(Packet p) {
        Conn c = Conntrack.of(p);
        return c != null && c.confirmed();
    }

    /**
     * {@code ip_vs_update_conntrack}: only for an original-direction packet of an unconfirmed
     * entry, the reply tuple's source becomes the real server (client → RS becomes client → RS').
     */
    @Override
    public void updateReply(Packet p, int rsAddr, int rsPort) {
        Conn c = Conntrack.of(p);
        if (c == null || c.confirmed() || CtInfo.isReply(p.ctinfo)) {
            return;
        }
        c.alterReply(rsAddr, c.replyDst(), rsPort, c.replyDport());
    }

    /** {@code ip_vs_notrack}: the packet continues with the untracked template. */
    @Override
    public void notrack(Packet p) {
        p.nfct = null;
        p.ctinfo = CtInfo.UNTRACKED;
    }

    /** {@code ip_vs_conn_drop_conntrack}: kill the entry whose original tuple is client → virtual address. */
    @Override
    public void dropConntrack(int proto, int caddr, int cport, int vaddr, int vport) {
        Conn c = table.lookup(proto, caddr, vaddr, cport, vport);
        if (c != null && c.origSrc == caddr && c.origSport == cport && c.origDst == vaddr && c.origDport == vport) {
            table.delete(c);
        }
    }
}
