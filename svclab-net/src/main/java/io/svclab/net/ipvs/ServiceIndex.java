package io.svclab.net.ipvs;

/**
 * Virtual services by (protocol, address, port) packed in one long ({@code ip_vs_svc_table}):
 * open addressing with linear probing, no allocation per lookup.
 */
final class ServiceIndex {

    private long[] keys = new long[16];
    private IpvsService[] values = new IpvsService[16];
    private int size;

    static long key(int proto, int addr, int port) {
        return ((long) (proto & 0xff) << 48) | ((long) (port & 0xffff) << 32) | (addr & 0xffffffffL);
    }

    private static int slot(long k, int mask) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    IpvsService get(int proto, int addr, int port) {
        long k = key(proto, addr, port);
        int mask = values.length - 1;
        for (int i = slot(k, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == k) {
                return values[i];
            }
        }
        return null;
    }

    void put(IpvsService s) {
        if ((size + 1) * 2 > values.length) {
            long[] ok = keys;
            IpvsService[] ov = values;
            keys = new long[ok.length * 2];
            values = new IpvsService[ov.length * 2];
            size = 0;
            for (IpvsService x : ov) {
                if (x != null) {
                    put(x);
                }
            }
        }
        long k = key(s.proto, s.addr, s.port);
        int mask = values.length - 1;
        int i = slot(k, mask);
        while (values[i] != null && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            size++;
        }
        keys[i] = k;
        values[i] = s;
    }

    void remove(IpvsService s) {
        long k = key(s.proto, s.addr, s.port);
        int mask = values.length - 1;
        int i = slot(k, mask);
        while (values[i] != null && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return;
            }
            int home = slot(keys[j], mask);
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }
}
