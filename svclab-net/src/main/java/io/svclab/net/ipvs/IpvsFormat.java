package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The text the real tools print, byte for byte: {@code ipvsadm -Ln} (and {@code --stats},
 * {@code --rate}, {@code --timeout}, {@code -Lnc}) after ipvsadm.c ({@code print_title},
 * {@code print_service_entry}, {@code print_largenum}, {@code list_conn}), and
 * {@code /proc/net/ip_vs}, {@code /proc/net/ip_vs_conn} after ip_vs_ctl.c / ip_vs_conn.c.
 *
 * <p>ipvsadm sorts services and destinations ({@code ipvs_cmp_services}, {@code ipvs_cmp_dests},
 * comparing addresses as the unsigned difference cast to int); {@code /proc/net/ip_vs} keeps
 * kernel list order. The kernel prints connections in hash-bucket order with a random seed;
 * here they are sorted by protocol, client, virtual address and destination for determinism.
 */
public final class IpvsFormat {

    private static final String VERSION = "IP Virtual Server version 1.2.1 (size=" + Ipvs.CONN_TAB_SIZE + ")";

    private IpvsFormat() {
    }

    /** {@code ipvs_cmp_services} for one address family and no fwmark. */
    static final Comparator<IpvsService> SERVICE_ORDER = (a, b) -> {
        int r = a.proto - b.proto;
        if (r != 0) {
            return r;
        }
        r = a.addr - b.addr;
        if (r != 0) {
            return r;
        }
        return a.port - b.port;
    };

    /** {@code ipvs_cmp_dests}. */
    static final Comparator<IpvsDest> DEST_ORDER = (a, b) -> {
        int r = a.addr - b.addr;
        if (r != 0) {
            return r;
        }
        return a.port - b.port;
    };

    private static List<IpvsService> sortedServices(Ipvs ipvs) {
        List<IpvsService> l = new ArrayList<>(ipvs.services());
        msort(l, SERVICE_ORDER);
        return l;
    }

    private static List<IpvsDest> sortedDests(IpvsService s) {
        List<IpvsDest> l = new ArrayList<>(s.dests);
        msort(l, DEST_ORDER);
        return l;
    }

    /**
     * glibc's {@code qsort} as ipvsadm gets it ({@code msort_with_tmp}: top-down merge sort, first
     * half {@code n/2}, ties and "equal" taken from the left). ipvsadm's address comparison is not
     * transitive for addresses more than 2^31 apart; this reproduces the order the tool prints for
     * them, where {@link List#sort} could refuse the comparator.
     */
    static <T> void msort(List<T> l, Comparator<? super T> cmp) {
        @SuppressWarnings("unchecked")
        T[] a = (T[]) l.toArray();
        @SuppressWarnings("unchecked")
        T[] tmp = (T[]) new Object[a.length];
        msort(a, 0, a.length, tmp, cmp);
        for (int i = 0; i < a.length; i++) {
            l.set(i, a[i]);
        }
    }

    private static <T> void msort(T[] a, int from, int n, T[] tmp, Comparator<? super T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        msort(a, from, n1, tmp, cmp);
        msort(a, from + n1, n2, tmp, cmp);
        int i = from;
        int j = from + n1;
        int k = 0;
        while (n1 > 0 && n2 > 0) {
            if (cmp.compare(a[i], a[j]) <= 0) {
                tmp[k++] = a[i++];
                n1--;
            } else {
                tmp[k++] = a[j++];
                n2--;
            }
        }
        while (n1 > 0) {
            tmp[k++] = a[i++];
            n1--;
        }
        System.arraycopy(tmp, 0, a, from, k);
    }

    static String schedFlags(IpvsService s) {
        List<String> f = new ArrayList<>();
        String n = s.scheduler.name();
        boolean hash = n.equals("sh") || n.equals("mh");
        if ((s.flags & IpvsService.FLAG_SCHED1) != 0) {
            f.add(hash ? n + "-fallback" : "flag-1");
        }
        if ((s.flags & IpvsService.FLAG_SCHED2) != 0) {
            f.add(hash ? n + "-port" : "flag-2");
        }
        if ((s.flags & IpvsService.FLAG_SCHED3) != 0) {
            f.add("flag-3");
        }
        return String.join(",", f);
    }

    /** {@code ipvsadm -Ln}. */
    public static String list(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append(VERSION).append('\n');
        b.append("Prot LocalAddress:Port Scheduler Flags\n");
        b.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        for (IpvsService s : sortedServices(ipvs)) {
            b.append(s.displayName()).append(' ').append(s.scheduler.name());
            if ((s.flags & (IpvsService.FLAG_SCHED1 | IpvsService.FLAG_SCHED2 | IpvsService.FLAG_SCHED3)) != 0) {
                b.append(" (").append(schedFlags(s)).append(')');
            }
            if (s.persistent()) {
                b.append(" persistent ").append(Integer.toUnsignedString(s.timeout));
                if (s.netmask != 0xffffffff) {
                    b.append(" mask ").append(Ip4.format(s.netmask));
                }
            }
            if ((s.flags & IpvsService.FLAG_ONEPACKET) != 0) {
                b.append(" ops");
            }
            b.append('\n');
            for (IpvsDest d : sortedDests(s)) {
                b.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10d %-10d%n".replace("%n", "\n"),
                        trunc(Ip4.endpoint(d.addr, d.port), 28), IpvsDest.forwardingName(d.fwd), d.weight,
                        Integer.toUnsignedLong(d.activeConns), Integer.toUnsignedLong(d.inactConns)));
            }
        }
        return b.toString();
    }

    private static String trunc(String s, int n) {
        return s.length() > n ? s.substring(0, n) : s;
    }

    /** {@code print_largenum} without {@code --exact}. */
    static String largenum(long i) {
        if (Long.compareUnsigned(i, 100_000_000L) < 0) {
            return String.format(Locale.ROOT, "%9d", i);
        } else if (Long.compareUnsigned(i, 1_000_000_000L) < 0) {
            return String.format(Locale.ROOT, "%8dK", i / 1000);
        } else if (Long.compareUnsigned(i, 100_000_000_000L) < 0) {
            return String.format(Locale.ROOT, "%8dM", i / 1_000_000L);
        } else if (Long.compareUnsigned(i, 100_000_000_000_000L) < 0) {
            return String.format(Locale.ROOT, "%8dG", i / 1_000_000_000L);
        }
        return String.format(Locale.ROOT, "%8dT", Long.divideUnsigned(i, 1_000_000_000_000L));
    }

    /** {@code ipvsadm -Ln --stats}. */
    public static String stats(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append(VERSION).append('\n');
        b.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n", "Prot LocalAddress:Port", "Conns", "InPkts",
                "OutPkts", "InBytes", "OutBytes"));
        b.append("  -> RemoteAddress:Port\n");
        for (IpvsService s : sortedServices(ipvs)) {
            b.append(String.format(Locale.ROOT, "%-33s", trunc(s.displayName(), 33)));
            statsNumbers(b, s.stats);
            b.append('\n');
            for (IpvsDest d : sortedDests(s)) {
                b.append(String.format(Locale.ROOT, "  -> %-28s", trunc(Ip4.endpoint(d.addr, d.port), 28)));
                statsNumbers(b, d.stats);
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static void statsNumbers(StringBuilder b, IpvsStats st) {
        b.append(largenum(st.conns)).append(largenum(st.inPkts)).append(largenum(st.outPkts))
                .append(largenum(st.inBytes)).append(largenum(st.outBytes));
    }

    /** {@code ipvsadm -Ln --rate} (the rate estimator is not modelled: rates are 0). */
    public static String rate(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append(VERSION).append('\n');
        b.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n", "Prot LocalAddress:Port", "CPS", "InPPS",
                "OutPPS", "InBPS", "OutBPS"));
        b.append("  -> RemoteAddress:Port\n");
        for (IpvsService s : sortedServices(ipvs)) {
            IpvsStats st = s.stats;
            b.append(String.format(Locale.ROOT, "%-33s", trunc(s.displayName(), 33)));
            b.append(largenum(st.cps)).append(largenum(st.inPps)).append(largenum(st.outPps))
                    .append(largenum(st.inBps)).append(largenum(st.outBps)).append('\n');
            for (IpvsDest d : sortedDests(s)) {
                IpvsStats ds = d.stats;
                b.append(String.format(Locale.ROOT, "  -> %-28s %8d %8d %8d", trunc(Ip4.endpoint(d.addr, d.port), 28),
                        ds.cps, ds.inPps, ds.outPps));
                b.append(largenum(ds.inBps)).append(largenum(ds.outBps)).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code ipvsadm -L --timeout}. */
    public static String timeouts(Ipvs ipvs) {
        return "Timeout (tcp tcpfin udp): " + ipvs.tcpTimeout(IpvsTcpStates.ESTABLISHED) + " "
                + ipvs.tcpTimeout(IpvsTcpStates.FIN_WAIT) + " " + ipvs.udpTimeout() + "\n";
    }

    static String protoName(int proto) {
        switch (proto) {
            case IpProto.TCP:
                return "TCP";
            case IpProto.UDP:
                return "UDP";
            case 132:
                return "SCTP";
            case 0:
                return "IP";
            default:
                return "ERR!";
        }
    }

    /** Deterministic order of connection listings (the kernel's is hash order). */
    static final Comparator<IpvsConn> CONN_ORDER = Comparator
            .comparingInt((IpvsConn c) -> c.proto)
            .thenComparingLong(c -> Integer.toUnsignedLong(c.caddr))
            .thenComparingInt(c -> c.cport)
            .thenComparingLong(c -> Integer.toUnsignedLong(c.vaddr))
            .thenComparingInt(c -> c.vport)
            .thenComparingLong(c -> Integer.toUnsignedLong(c.daddr))
            .thenComparingInt(c -> c.dport);

    private static List<IpvsConn> sortedConns(Ipvs ipvs) {
        List<IpvsConn> l = ipvs.connections();
        l.sort(CONN_ORDER);
        return l;
    }

    /** {@code ipvsadm -Lnc}. */
    public static String connections(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append("IPVS connection entries\n");
        b.append("pro expire state       source             virtual            destination\n");
        for (IpvsConn c : sortedConns(ipvs)) {
            b.append(connRow(c));
        }
        return b.toString();
    }

    /** One {@code ipvsadm -Lnc} row ({@code print_conn}). */
    public static String connRow(IpvsConn c) {
        long e = c.expiresInSeconds();
        String expire = String.format(Locale.ROOT, "%02d:%02d", e / 60, e % 60);
        return String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %s\n", protoName(c.proto), expire, c.stateName(),
                Ip4.endpoint(c.caddr, c.cport), Ip4.endpoint(c.vaddr, c.vport), Ip4.endpoint(c.daddr, c.dport));
    }

    /** {@code /proc/net/ip_vs}: kernel list order, persistence timeout in jiffies. */
    public static String procIpVs(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append(VERSION).append('\n');
        b.append("Prot LocalAddress:Port Scheduler Flags\n");
        b.append("  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
        for (IpvsService s : ipvs.services()) {
            b.append(String.format(Locale.ROOT, "%s  %08X:%04X %s %s", protoName(s.proto), s.addr, s.port,
                    s.scheduler.name(), (s.flags & IpvsService.FLAG_ONEPACKET) != 0 ? "ops " : ""));
            if (s.persistent()) {
                b.append(String.format(Locale.ROOT, " persistent %d %08X\n", s.timeout * Ipvs.HZ, s.netmask));
            } else {
                b.append(" \n");
            }
            for (IpvsDest d : s.dests) {
                b.append(String.format(Locale.ROOT, "  -> %08X:%04X      %-7s %-6d %-10d %-10d\n", d.addr, d.port,
                        IpvsDest.forwardingName(d.fwd), d.weight, d.activeConns, d.inactConns));
            }
        }
        return b.toString();
    }

    /** {@code /proc/net/ip_vs_conn}. */
    public static String procIpVsConn(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        b.append("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
        for (IpvsConn c : sortedConns(ipvs)) {
            b.append(procConnRow(c));
        }
        return b.toString();
    }

    /** One {@code /proc/net/ip_vs_conn} row. */
    public static String procConnRow(IpvsConn c) {
        return String.format(Locale.ROOT, "%-3s %08X %04X %08X %04X %08X %04X %-11s %7d\n", protoName(c.proto), c.caddr,
                c.cport, c.vaddr, c.vport, c.daddr, c.dport, c.stateName(), c.expiresInSeconds());
    }

    /** {@code /proc/net/ip_vs_stats} ({@code ip_vs_stats_show}): totals and rates in hexadecimal. */
    public static String procIpVsStats(Ipvs ipvs) {
        IpvsStats t = ipvs.totalStats();
        return "   Total Incoming Outgoing         Incoming         Outgoing\n"
                + "   Conns  Packets  Packets            Bytes            Bytes\n"
                + String.format(Locale.ROOT, "%8X %8X %8X %16X %16X\n\n", t.conns, t.inPkts, t.outPkts, t.inBytes,
                        t.outBytes)
                + " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n"
                + String.format(Locale.ROOT, "%8X %8X %8X %16X %16X\n", t.cps, t.inPps, t.outPps, t.inBps, t.outBps);
    }

    /** {@code ipvsadm -Sn} (rule format, sorted like the listing). */
    public static String save(Ipvs ipvs) {
        StringBuilder b = new StringBuilder();
        for (IpvsService s : sortedServices(ipvs)) {
            String svc = (s.proto == IpProto.TCP ? "-t " : "-u ") + Ip4.endpoint(s.addr, s.port);
            b.append("-A ").append(svc).append(" -s ").append(s.scheduler.name());
            if ((s.flags & (IpvsService.FLAG_SCHED1 | IpvsService.FLAG_SCHED2 | IpvsService.FLAG_SCHED3)) != 0) {
                b.append(" -b ").append(schedFlags(s));
            }
            if (s.persistent()) {
                b.append(" -p ").append(s.timeout);
                if (s.netmask != 0xffffffff) {
                    b.append(" -M ").append(Ip4.format(s.netmask));
                }
            }
            if ((s.flags & IpvsService.FLAG_ONEPACKET) != 0) {
                b.append(" -o");
            }
            b.append('\n');
            for (IpvsDest d : sortedDests(s)) {
                String fwd = d.fwd == IpvsDest.FWD_MASQ ? "-m" : d.fwd == IpvsDest.FWD_TUNNEL ? "-i" : "-g";
                b.append("-a ").append(svc).append(" -r ").append(Ip4.endpoint(d.addr, d.port)).append(' ').append(fwd)
                        .append(" -w ").append(d.weight);
                if (d.uThreshold != 0) {
                    b.append(" -x ").append(d.uThreshold);
                }
                if (d.lThreshold != 0) {
                    b.append(" -y ").append(d.lThreshold);
                }
                b.append('\n');
            }
        }
        return b.toString();
    }
}
