package io.svclab.net.ipvs;

import io.svclab.net.Packet;

/**
 * The narrow boundary between IPVS and netfilter conntrack ({@code net/netfilter/ipvs/ip_vs_nfct.c}
 * and the conntrack helpers {@code ip_vs_core.c} calls). IPVS never reads conntrack state itself:
 * it asks these questions about the conntrack entry attached to the packet ({@code skb->_nfct}) and
 * asks for the two changes IPVS makes to conntrack.
 *
 * <p>The conntrack subsystem implements this interface and passes it to
 * {@link Ipvs#install(io.svclab.net.NetNamespace, IpvsConntrack)}. Without conntrack in the
 * namespace use {@link #NONE}. Whether a connection uses conntrack at all is decided by IPVS
 * ({@code net.ipv4.vs.conntrack}, flag {@code IP_VS_CONN_F_NFCT}); the bridge just answers.
 */
public interface IpvsConntrack {

    /** No conntrack in the namespace: nothing is attached, nothing to update. */
    IpvsConntrack NONE = new IpvsConntrack() {
        @Override
        public boolean attached(Packet p) {
            return false;
        }

        @Override
        public boolean attachedEntryConfirmed(Packet p) {
            return false;
        }

        @Override
        public void updateReply(Packet p, int rsAddr, int rsPort) {
        }

        @Override
        public void notrack(Packet p) {
        }

        @Override
        public void dropConntrack(int proto, int caddr, int cport, int vaddr, int vport) {
        }
    };

    /**
     * Whether the packet carries a tracked conntrack entry ({@code nf_ct_get(skb) != NULL}, not the
     * untracked template). Read by the pre-5.9 predicate {@code ip_vs_conn_uses_conntrack}.
     */
    boolean attached(Packet p);

    /**
     * Whether the attached entry exists and is confirmed ({@code nf_ct_is_confirmed}), i.e. it is the
     * old connection's entry and not a fresh one conntrack created for this packet. The 5.9+
     * predicate {@code ip_vs_conn_uses_old_conntrack}.
     */
    boolean attachedEntryConfirmed(Packet p);

    /**
     * {@code ip_vs_update_conntrack}: rewrite the reply tuple of the attached entry so that replies
     * come from {@code rsAddr:rsPort}. Called by the NAT transmitter for connections with
     * {@code IP_VS_CONN_F_NFCT}; the implementation must do nothing when the entry is confirmed
     * (only the first packet can change it), as the kernel does.
     */
    void updateReply(Packet p, int rsAddr, int rsPort);

    /**
     * {@code ip_vs_notrack}: replace the attached entry by the untracked template (connections without
     * {@code IP_VS_CONN_F_NFCT}, i.e. {@code net.ipv4.vs.conntrack=0}).
     */
    void notrack(Packet p);

    /**
     * {@code ip_vs_conn_drop_conntrack}: an IPVS connection with {@code IP_VS_CONN_F_NFCT} expired;
     * find the conntrack entry whose original tuple is client → virtual address and kill it
     * ({@code nf_ct_kill}). Also how the old conntrack entry disappears when a rescheduled SYN is
     * dropped (the old IPVS entry is expired at once).
     */
    void dropConntrack(int proto, int caddr, int cport, int vaddr, int vport);
}
