package io.svclab.net;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * A namespace's main routing table: longest-prefix match over one primitive-keyed map per prefix
 * length in use (a node has a handful of lengths: /32, /24, /16, /0), so a lookup is a few hash
 * probes and allocates nothing.
 */
public final class RoutingTable {

    @SuppressWarnings("unchecked")
    private final Int2ObjectOpenHashMap<Route>[] byLength = new Int2ObjectOpenHashMap[33];
    /** Prefix lengths in use, longest first. */
    private int[] lengths = new int[0];

    /** Adds or replaces the route for its prefix. */
    public void add(Route r) {
        Int2ObjectOpenHashMap<Route> m = byLength[r.length()];
        if (m == null) {
            m = new Int2ObjectOpenHashMap<>();
            byLength[r.length()] = m;
            rebuildLengths();
        }
        m.put(r.prefix(), r);
    }

    /** Removes the route of this prefix; returns it or null. */
    public Route remove(int prefix, int length) {
        Int2ObjectOpenHashMap<Route> m = byLength[length];
        if (m == null) {
            return null;
        }
        Route r = m.remove(prefix & Ip4.mask(length));
        if (m.isEmpty()) {
            byLength[length] = null;
            rebuildLengths();
        }
        return r;
    }

    /** Removes every route through a device (the device went away). */
    public void removeVia(NetInterface dev) {
        for (Route r : routes()) {
            if (r.dev() == dev) {
                remove(r.prefix(), r.length());
            }
        }
    }

    /** The longest-prefix route for a destination, or null. */
    public Route lookup(int dst) {
        int[] ls = lengths;
        for (int len : ls) {
            Route r = byLength[len].get(dst & Ip4.mask(len));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** All routes, longest prefix first, then by address (as a stable listing). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (int len : lengths) {
            List<Route> rs = new ArrayList<>(byLength[len].values());
            rs.sort((a, b) -> Integer.compareUnsigned(a.prefix(), b.prefix()));
            out.addAll(rs);
        }
        return out;
    }

    private void rebuildLengths() {
        int n = 0;
        for (int l = 32; l >= 0; l--) {
            if (byLength[l] != null) {
                n++;
            }
        }
        int[] ls = new int[n];
        int i = 0;
        for (int l = 32; l >= 0; l--) {
            if (byLength[l] != null) {
                ls[i++] = l;
            }
        }
        lengths = ls;
    }
}
