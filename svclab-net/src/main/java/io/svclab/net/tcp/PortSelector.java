package io.svclab.net.tcp;

import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;
import io.svclab.kernel.Sysctls;
import io.svclab.net.NetNamespace;

import java.util.SplittableRandom;

/**
 * Ephemeral port choice of {@code connect()} without {@code bind()}: {@code __inet_hash_connect}
 * of net/ipv4/inet_hashtables.c in its four generations (spec conntrack-nat-tcp.md §7.1,
 * ipvs-kube-proxy.md §6.4), chosen by kernel switch:
 * <ul>
 * <li>{@link KernelFeature#TCP_PORT_PERTURB_TABLE}: 64-bit keyed hash of (saddr, daddr, dport);
 * its low 16 bits index a 65536-entry table; offset = (table[index] + (hash >> 32)) mod remaining,
 * forced even; scan even ports by 2, then odd ports; on success
 * table[index] += max(i, U{0..7}·2) + 2.</li>
 * <li>{@link KernelFeature#TCP_PORT_PERTURB_TABLE_256}: the same with a 256-entry table indexed by
 * {@code hash_32(hash, 8)}, offset = table[index] + hash, increment i + 2.</li>
 * <li>{@link KernelFeature#TCP_CONNECT_EVEN_PORTS}: one global hint, offset = hint + hash,
 * parity scan, hint += i + 2.</li>
 * <li>otherwise the plain walk: port = low + (i + hint + hash) mod remaining for i = 1..,
 * hint += i.</li>
 * </ul>
 * The kernel keeps the secret and the tables per boot (shared by every namespace of a host); the
 * model keeps them per namespace, the secret drawn from the stream {@code tcp/<ns>/port-secret},
 * the table from {@code tcp/<ns>/port-perturb} and the increments from {@code tcp/<ns>/port-rand}.
 * The hash is a keyed 64-bit mix, not SipHash: with a random key only its uniformity matters.
 */
final class PortSelector {

    /** Checks one candidate port for the connect in progress; true means taken by this connect. */
    interface Candidate {
        boolean tryPort(int port);
    }

    private static final int PERTURB_SIZE = 1 << 16;
    private static final int PERTURB_256 = 1 << 8;

    private final NetNamespace ns;
    private final KernelProfile profile;
    private final long secret0;
    private final long secret1;
    private final SplittableRandom rand;
    private int[] perturb;
    private int hint;

    PortSelector(NetNamespace ns) {
        this.ns = ns;
        this.profile = ns.sysctls().profile();
        SplittableRandom s = ns.sim().rng("tcp/" + ns.name() + "/port-secret");
        this.secret0 = s.nextLong();
        this.secret1 = s.nextLong();
        this.rand = ns.sim().rng("tcp/" + ns.name() + "/port-rand");
    }

    /** {@code secure_ipv4_port_ephemeral(saddr, daddr, dport)} stand-in: a keyed 64-bit hash. */
    long portOffset(int saddr, int daddr, int dport) {
        long h = mix64(secret0 ^ (((long) saddr << 32) | (daddr & 0xffffffffL)));
        return mix64(h ^ secret1 ^ (dport & 0xffffL));
    }

    /** The chosen port, or -1 ({@code EADDRNOTAVAIL}). */
    int select(int saddr, int daddr, int dport, Candidate c) {
        Sysctls sc = ns.sysctls();
        long range = sc.raw(Sysctl.NET_IPV4_IP_LOCAL_PORT_RANGE);
        int low = Sysctls.low(range);
        int high = Sysctls.high(range);
        long portOffset = portOffset(saddr, daddr, dport);
        if (!profile.has(KernelFeature.TCP_CONNECT_EVEN_PORTS) && !profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE)
                && !profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)) {
            return plainWalk(low, high, (int) portOffset, c);
        }
        high++; // [32768, 60999] -> [32768, 61000[
        int remaining = high - low;
        if (remaining > 1) {
            remaining &= ~1;
        }
        int index;
        int offset;
        if (profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE)) {
            table(PERTURB_SIZE);
            index = (int) (portOffset & (PERTURB_SIZE - 1));
            offset = Integer.remainderUnsigned(perturb[index] + (int) (portOffset >>> 32), remaining);
        } else if (profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)) {
            table(PERTURB_256);
            index = (int) (((int) portOffset * 0x61C88647) >>> 24); // hash_32(port_offset, 8)
            offset = Integer.remainderUnsigned(perturb[index] + (int) portOffset, remaining);
        } else {
            index = -1;
            offset = Integer.remainderUnsigned(hint + (int) portOffset, remaining);
        }
        offset &= ~1; // first pass: ports of low's parity
        while (true) {
            int port = low + offset;
            for (int i = 0; i < remaining; i += 2, port += 2) {
                if (port >= high) {
                    port -= remaining;
                }
                if (c.tryPort(port)) {
                    advance(index, i);
                    return port;
                }
            }
            offset++;
            if ((offset & 1) == 0 || remaining <= 1) {
                return -1;
            }
        }
    }

    private void advance(int index, int i) {
        if (profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE)) {
            int inc = Math.max(i, rand.nextInt(8) * 2);
            perturb[index] += inc + 2;
        } else if (profile.has(KernelFeature.TCP_PORT_PERTURB_TABLE_256)) {
            perturb[index] += i + 2;
        } else {
            hint += i + 2;
        }
    }

    /** Before v4.6: one pass over every port from a hashed start, stepping by 1. */
    private int plainWalk(int low, int high, int portOffset, Candidate c) {
        int remaining = high - low + 1;
        int offset = hint + portOffset;
        for (int i = 1; i <= remaining; i++) {
            int port = low + Integer.remainderUnsigned(i + offset, remaining);
            if (c.tryPort(port)) {
                hint += i;
                return port;
            }
        }
        return -1;
    }

    /** {@code get_random_sleepable_once(table_perturb, ...)}: filled at the first connect. */
    private void table(int size) {
        if (perturb == null) {
            perturb = new int[size];
            SplittableRandom r = ns.sim().rng("tcp/" + ns.name() + "/port-perturb");
            for (int i = 0; i < size; i++) {
                perturb[i] = r.nextInt();
            }
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
