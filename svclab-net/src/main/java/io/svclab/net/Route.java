package io.svclab.net;

/**
 * One route of a namespace's main table.
 *
 * @param prefix network address
 * @param length prefix length 0..32
 * @param type what to do with matching packets
 * @param dev outgoing device (UNICAST and LOCAL)
 * @param gateway next hop, 0 when the destination is on the link
 * @param preferredSrc source address for locally generated packets ({@code src} of ip route), 0 = the device's first address
 */
public record Route(int prefix, int length, RouteType type, NetInterface dev, int gateway, int preferredSrc) {

    public Route {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length);
        }
        prefix &= Ip4.mask(length);
        if ((type == RouteType.UNICAST || type == RouteType.LOCAL) && dev == null) {
            throw new IllegalArgumentException("a " + type + " route needs a device");
        }
    }

    /** The next hop for a destination: the gateway, or the destination itself when on-link. */
    public int nextHop(int dst) {
        return gateway != 0 ? gateway : dst;
    }

    /** The source address a local socket uses on this route. */
    public int sourceAddress() {
        if (preferredSrc != 0) {
            return preferredSrc;
        }
        return dev == null ? 0 : dev.primaryAddress();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (type != RouteType.UNICAST) {
            b.append(type.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
        }
        b.append(length == 0 ? "default" : Ip4.format(prefix) + "/" + length);
        if (gateway != 0) {
            b.append(" via ").append(Ip4.format(gateway));
        }
        if (dev != null) {
            b.append(" dev ").append(dev.name());
        }
        if (preferredSrc != 0) {
            b.append(" src ").append(Ip4.format(preferredSrc));
        }
        return b.toString();
    }
}
