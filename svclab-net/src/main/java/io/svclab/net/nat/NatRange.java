package io.svclab.net.nat;

/**
 * {@code struct nf_nat_range2}: the addresses and ports a NAT target may map to.
 *
 * @param minAddr first address (host order int), meaningful with {@link #MAP_IPS}
 * @param maxAddr last address
 * @param minPort first port, meaningful with {@link #PROTO_SPECIFIED}
 * @param maxPort last port
 * @param flags {@code NF_NAT_RANGE_*} bits
 */
public record NatRange(int minAddr, int maxAddr, int minPort, int maxPort, int flags) {

    public static final int MAP_IPS = 1;
    public static final int PROTO_SPECIFIED = 2;
    public static final int PROTO_RANDOM = 4;
    public static final int PERSISTENT = 8;
    public static final int PROTO_RANDOM_FULLY = 16;

    /** {@code --to-destination ip:port} / {@code --to-source ip:port}. */
    public static NatRange to(int addr, int port) {
        return port == 0 ? new NatRange(addr, addr, 0, 0, MAP_IPS)
                : new NatRange(addr, addr, port, port, MAP_IPS | PROTO_SPECIFIED);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
