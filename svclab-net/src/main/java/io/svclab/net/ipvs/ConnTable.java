package io.svclab.net.ipvs;

import java.util.ArrayList;
import java.util.List;

/**
 * The connection table ({@code ip_vs_conn_tab}) as two open-addressing indexes keyed by packed
 * longs, with no allocation per lookup:
 * <ul>
 *   <li>"in": (protocol, client addr/port, virtual addr/port) — {@code ip_vs_conn_in_get},
 *       also templates (client port 0) — {@code ip_vs_ct_in_get};</li>
 *   <li>"out": (protocol, real server addr/port, client addr/port) — {@code ip_vs_conn_out_get},
 *       for replies of non-template entries.</li>
 * </ul>
 * Entries with equal keys are chained newest first, as the kernel adds to the head of a hash
 * chain and returns the first match. A list of all entries serves the {@code /proc} listings and
 * the flush of entries of deleted destinations.
 */
final class ConnTable {

    private final Index in = new Index(true);
    private final Index out = new Index(false);
    private IpvsConn head;
    private int size;

    int size() {
        return size;
    }

    static long inK1(int caddr, int vaddr) {
        return ((long) caddr << 32) | (vaddr & 0xffffffffL);
    }

    static long inK2(int proto, int cport, int vport) {
        return ((long) proto << 32) | ((long) (cport & 0xffff) << 16) | (vport & 0xffff);
    }

    IpvsConn inGet(int proto, int caddr, int cport, int vaddr, int vport) {
        return in.get(inK1(caddr, vaddr), inK2(proto, cport, vport));
    }

    IpvsConn outGet(int proto, int daddr, int dport, int caddr, int cport) {
        return out.get(inK1(daddr, caddr), inK2(proto, dport, cport));
    }

    /** {@code ip_vs_conn_hash}. */
    void hash(IpvsConn c) {
        in.add(c);
        if ((c.flags & IpvsConn.F_TEMPLATE) == 0) {
            out.add(c);
        }
        c.flags |= IpvsConn.F_HASHED;
        if (!c.linked) {
            c.nextAll = head;
            c.prevAll = null;
            if (head != null) {
                head.prevAll = c;
            }
            head = c;
            c.linked = true;
            size++;
        }
    }

    /** Removes the entry from the key indexes only ({@code ip_vs_conn_unhash} before a rehash). */
    boolean unhashKeys(IpvsConn c) {
        if ((c.flags & IpvsConn.F_HASHED) == 0) {
            return false;
        }
        in.remove(c);
        if ((c.flags & IpvsConn.F_TEMPLATE) == 0) {
            out.remove(c);
        }
        c.flags &= ~IpvsConn.F_HASHED;
        return true;
    }

    /** {@code ip_vs_conn_unlink}: out of the indexes and out of the list. */
    void unlink(IpvsConn c) {
        unhashKeys(c);
        if (c.linked) {
            if (c.prevAll != null) {
                c.prevAll.nextAll = c.nextAll;
            } else {
                head = c.nextAll;
            }
            if (c.nextAll != null) {
                c.nextAll.prevAll = c.prevAll;
            }
            c.prevAll = c.nextAll = null;
            c.linked = false;
            size--;
        }
    }

    /** A snapshot of all entries (newest first). */
    List<IpvsConn> all() {
        List<IpvsConn> l = new ArrayList<>(size);
        for (IpvsConn c = head; c != null; c = c.nextAll) {
            l.add(c);
        }
        return l;
    }

    /**
     * Open addressing with linear probing and backward-shift deletion; values are chain heads. The
     * two key words of slot i sit side by side at [2i] and [2i + 1], so a lookup in a table of
     * hundreds of thousands of entries misses the cache on one key line, not two.
     */
    private static final class Index {
        private final boolean inKey;
        private long[] kk = new long[2 * 64];
        private IpvsConn[] v = new IpvsConn[64];
        private int used;

        Index(boolean inKey) {
            this.inKey = inKey;
        }

        private long key1(IpvsConn c) {
            return inKey ? inK1(c.caddr, c.vaddr) : inK1(c.daddr, c.caddr);
        }

        private long key2(IpvsConn c) {
            return inKey ? inK2(c.proto, c.cport, c.vport) : inK2(c.proto, c.dport, c.cport);
        }

        private static int mix(long a, long b, int mask) {
            long h = a * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(b * 0xC2B2AE3D27D4EB4FL, 31);
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return (int) h & mask;
        }

        private IpvsConn next(IpvsConn c) {
            return inKey ? c.nextIn : c.nextOut;
        }

        private void setNext(IpvsConn c, IpvsConn n) {
            if (inKey) {
                c.nextIn = n;
            } else {
                c.nextOut = n;
            }
        }

        IpvsConn get(long a, long b) {
            int mask = v.length - 1;
            for (int i = mix(a, b, mask); v[i] != null; i = (i + 1) & mask) {
                if (kk[2 * i] == a && kk[2 * i + 1] == b) {
                    return v[i];
                }
            }
            return null;
        }

        void add(IpvsConn c) {
            if ((used + 1) * 2 > v.length) {
                grow();
            }
            long a = key1(c);
            long b = key2(c);
            int mask = v.length - 1;
            int i = mix(a, b, mask);
            for (; v[i] != null; i = (i + 1) & mask) {
                if (kk[2 * i] == a && kk[2 * i + 1] == b) {
                    setNext(c, v[i]);
                    v[i] = c;
                    return;
                }
            }
            setNext(c, null);
            kk[2 * i] = a;
            kk[2 * i + 1] = b;
            v[i] = c;
            used++;
        }

        void remove(IpvsConn c) {
            long a = key1(c);
            long b = key2(c);
            int mask = v.length - 1;
            int i = mix(a, b, mask);
            for (; v[i] != null; i = (i + 1) & mask) {
                if (kk[2 * i] == a && kk[2 * i + 1] == b) {
                    break;
                }
            }
            if (v[i] == null) {
                return;
            }
            IpvsConn h = v[i];
            if (h == c) {
                IpvsConn n = next(c);
                setNext(c, null);
                if (n != null) {
                    v[i] = n;
                    return;
                }
                deleteSlot(i);
                return;
            }
            for (IpvsConn p = h; next(p) != null; p = next(p)) {
                if (next(p) == c) {
                    setNext(p, next(c));
                    setNext(c, null);
                    return;
                }
            }
        }

        private void deleteSlot(int i) {
            int mask = v.length - 1;
            v[i] = null;
            used--;
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (v[j] == null) {
                    return;
                }
                int home = mix(kk[2 * j], kk[2 * j + 1], mask);
                // move j back to i if its home is not in (i, j]
                boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
                if (!between) {
                    kk[2 * i] = kk[2 * j];
                    kk[2 * i + 1] = kk[2 * j + 1];
                    v[i] = v[j];
                    v[j] = null;
                    i = j;
                }
            }
        }

        private void grow() {
            long[] okk = kk;
            IpvsConn[] ov = v;
            int n = ov.length * 2;
            kk = new long[2 * n];
            v = new IpvsConn[n];
            int mask = n - 1;
            for (int s = 0; s < ov.length; s++) {
                if (ov[s] != null) {
                    int i = mix(okk[2 * s], okk[2 * s + 1], mask);
                    while (v[i] != null) {
                        i = (i + 1) & mask;
                    }
                    kk[2 * i] = okk[2 * s];
                    kk[2 * i + 1] = okk[2 * s + 1];
                    v[i] = ov[s];
                }
            }
        }
    }
}
