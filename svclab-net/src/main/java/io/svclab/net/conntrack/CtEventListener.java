package io.svclab.net.conntrack;

/**
 * Receives conntrack events as {@code conntrack -E} shows them (ctnetlink's
 * {@code nf_ct_deliver_cached_events}, {@code nf_conntrack_event}): NEW when an entry is
 * confirmed, UPDATE when a packet changed its protocol state, SEEN_REPLY or ASSURED (delivered at
 * the packet's confirm hook), DESTROY when it leaves the table. Format a line with
 * {@link CtFormat#eventLine}.
 */
@FunctionalInterface
public interface CtEventListener {

    /** Event types, named as {@code conntrack -E} prints them. */
    enum Type {
        NEW,
        UPDATE,
        DESTROY
    }

    void event(Type type, Conn ct, long now);
}
