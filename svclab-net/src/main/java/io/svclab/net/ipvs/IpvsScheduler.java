package io.svclab.net.ipvs;

import io.svclab.net.Packet;

/**
 * One IPVS scheduling module ({@code struct ip_vs_scheduler}): picks the destination of a new
 * connection. The hooks are called after the service's destination list has been changed, as
 * {@code __ip_vs_update_dest} and {@code __ip_vs_unlink_dest} call them. Implementations are in
 * {@link IpvsSchedulers}; each keeps its own state per service, as {@code svc->sched_data} does.
 */
public interface IpvsScheduler {

    /** The module name ({@code rr}, {@code wrr}, ...). */
    String name();

    /** {@code init_service}: the service was created or switched to this scheduler. */
    void initService(IpvsService svc);

    /** {@code add_dest}: the dest was just inserted at the head of the list. */
    void addDest(IpvsService svc, IpvsDest dest);

    /**
     * {@code del_dest}: the dest was just unlinked; {@code formerIndex} is where it stood in the
     * list (its predecessor is at {@code formerIndex - 1}, or the list head).
     */
    void delDest(IpvsService svc, IpvsDest dest, int formerIndex);

    /** {@code upd_dest}: the dest's weight or thresholds changed. */
    void updDest(IpvsService svc, IpvsDest dest);

    /** {@code schedule}: the chosen destination, or null ("no destination available"). */
    IpvsDest schedule(IpvsService svc, Packet p);
}
