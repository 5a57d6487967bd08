package io.svclab.net.conntrack;

/**
 * One conntrack entry as a text line shows it: the fields of {@code /proc/net/nf_conntrack}
 * ({@code ct_seq_show}), of {@code conntrack -L} in its plain, {@code -o id} and
 * {@code -o extended} forms, and of {@code conntrack -E} event lines. A field that the line does
 * not carry is null (or false), so {@link CtFormat#format(CtLine)} prints the line back byte for
 * byte. Built by {@link CtParser} from real dumps and by {@link CtFormat} from simulated entries.
 *
 * @param timestamp event timestamp {@code sec.usec} without brackets ({@code -o timestamp}), or null
 * @param event event type {@code NEW}, {@code UPDATE}, {@code DESTROY} ({@code -E}), or null
 * @param l3name {@code ipv4}/{@code ipv6} when the line has the L3 columns, or null
 * @param l3num 2 or 10 (meaningful with l3name)
 * @param l4name {@code tcp}, {@code udp}, {@code icmp}, ...
 * @param l4num protocol number
 * @param timeout remaining seconds, or null when not printed ({@code [OFFLOAD]})
 * @param state protocol state name (TCP), or null
 * @param orig original tuple
 * @param zoneOrig {@code zone-orig=}, or null
 * @param origPackets original-direction packets with accounting, or null
 * @param origBytes original-direction bytes, or null
 * @param unreplied {@code [UNREPLIED]}
 * @param reply reply tuple
 * @param zoneReply {@code zone-reply=}, or null
 * @param replyPackets reply-direction packets, or null
 * @param replyBytes reply-direction bytes, or null
 * @param flag {@code ASSURED}, {@code OFFLOAD} or {@code HW_OFFLOAD}, or null
 * @param mark {@code mark=}, or null
 * @param secctx {@code secctx=}, or null
 * @param zone {@code zone=}, or null
 * @param deltaTime {@code delta-time=}, or null
 * @param use {@code use=}, or null
 * @param id {@code id=}, or null
 * @param userspacePortid {@code [USERSPACE] portid=N} of an event caused by a netlink client, or null
 */
public record CtLine(String timestamp, String event, String l3name, int l3num, String l4name, int l4num,
                     Long timeout, String state, Tuple orig, Long zoneOrig, Long origPackets, Long origBytes,
                     boolean unreplied, Tuple reply, Long zoneReply, Long replyPackets, Long replyBytes, String flag,
                     Long mark, String secctx, Long zone, Long deltaTime, Long use, Long id,
                     Long userspacePortid) {

    /**
     * One printed tuple: {@code src= dst=} then {@code sport= dport=} (TCP, UDP, SCTP, DCCP) or
     * {@code type= code= id=} (ICMP). Addresses are kept as printed (dotted quad, or IPv6 text).
     *
     * @param src source address text
     * @param dst destination address text
     * @param sport source port, or -1 when absent
     * @param dport destination port, or -1
     * @param type ICMP type, or -1
     * @param code ICMP code, or -1
     * @param icmpId ICMP id, or -1
     */
    public record Tuple(String src, String dst, int sport, int dport, int type, int code, int icmpId) {

        /** A TCP/UDP tuple. */
        public static Tuple ports(String src, String dst, int sport, int dport) {
            return new Tuple(src, dst, sport, dport, -1, -1, -1);
        }
    }
}
