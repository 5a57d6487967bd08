package io.svclab.net.ipvs;

/**
 * The kernel hash functions the IPVS hashing schedulers use, computed as the kernel computes them
 * on x86-64: {@code hash_32} ({@code include/linux/hash.h}) and {@code hsiphash}
 * ({@code lib/siphash.c}, which on 64-bit kernels is SipHash-1-3 over a 128-bit key, truncated
 * to 32 bits).
 */
public final class KernelHash {

    /** {@code GOLDEN_RATIO_32}. */
    public static final int GOLDEN_RATIO_32 = 0x61C88647;

    private KernelHash() {
    }

    /** {@code hash_32(val, bits)}: the top {@code bits} bits of {@code val * GOLDEN_RATIO_32}. */
    public static int hash32(int val, int bits) {
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * {@code hsiphash(&v, 4, key)} of one 32-bit little-endian word with key
     * {@code {k0, k1}} on a 64-bit kernel; the result as an unsigned value in a long.
     */
    public static long hsiphash32(int v, long k0, long k1) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        long b = (4L << 56) | (v & 0xffffffffL);
        v3 ^= b;
        // one compression round (SipHash-1-3)
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int i = 0; i < 3; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return ((v0 ^ v1) ^ (v2 ^ v3)) & 0xffffffffL;
    }
}
