package io.svclab.diagnose;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.conntrack.ConntrackTable;
import io.svclab.net.conntrack.CtStatus;
import io.svclab.net.conntrack.TcpConntrackTable;
import io.svclab.net.ipvs.Ipvs;
import io.svclab.net.ipvs.IpvsDest;
import io.svclab.net.ipvs.IpvsException;
import io.svclab.net.ipvs.IpvsService;
import io.svclab.net.ipvs.IpvsTcpStates;
import io.svclab.net.ipvs.IpvsadmReader;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts the state read from dumps into a namespace's IPVS and conntrack, as if the datapath had
 * brought it there ({@link Ipvs#restoreConnection}, {@link ConntrackTable#restore}). Used by the
 * {@link NodeModel} of {@code diagnose} and by {@code run --from-dumps}. What cannot be seeded is
 * added to the warnings, never dropped silently.
 */
final class Seeder {

    private Seeder() {
    }

    private static int proto(String p) {
        return p.equals("TCP") ? IpProto.TCP : p.equals("UDP") ? IpProto.UDP : -1;
    }

    /**
     * Seeds IPVS: with {@code addServices}, the listed services and real servers are added (the
     * node model of {@code diagnose}); without, the services are the scenario's (kube-proxy owns
     * them) and the listing only tells which real servers are gone. Entries of a real server the
     * service does not have are bound to one added and deleted again (it waits in the trash).
     */
    static void ipvs(Ipvs ipvs, Dumps.IpvsList list, Dumps.IpvsConns conns, boolean addServices, List<String> warnings) {
        List<IpvsDest> gone = new ArrayList<>();
        if (list != null && addServices) {
            for (IpvsadmReader.ServiceRecord s : list.services()) {
                int proto = proto(s.proto());
                if (proto < 0) {
                    warnings.add(s.proto() + " services are not modelled (line " + s.line() + ")");
                    continue;
                }
                IpvsService svc = service(ipvs, proto, s.addr(), s.port(), s.scheduler(), s.persistent(), warnings);
                for (IpvsadmReader.DestRecord d : s.dests()) {
                    if (svc == null || dest(svc, d.addr(), d.port()) != null) {
                        continue;
                    }
                    if (!d.forward().isEmpty() && !d.forward().equals("Masq") && !d.forward().equals("Local")) {
                        warnings.add(d.forward() + " forwarding is not modelled: " + Ip4.endpoint(d.addr(), d.port()));
                    }
                    try {
                        ipvs.addDest(svc, d.addr(), d.port(), IpvsDest.FWD_MASQ, d.weight() < 0 ? 1 : d.weight(), 0, 0);
                    } catch (IpvsException ex) {
                        warnings.add("real server " + Ip4.endpoint(d.addr(), d.port()) + ": " + ex.getMessage());
                    }
                }
            }
            if (list.format().endsWith("--stats") || list.format().endsWith("--rate")) {
                warnings.add(list.format() + " shows no weights: real servers are taken with weight 1");
            }
        }
        if (conns == null) {
            return;
        }
        for (Dumps.ConnEntry c : conns.entries()) {
            IpvsadmReader.ConnRecord r = c.rec();
            int proto = proto(r.proto());
            int state = proto == IpProto.TCP ? IpvsTcpStates.byName(r.state()) : 0;
            if (proto < 0 || state < 0) {
                warnings.add(r.proto() + " " + r.state() + " entries are not modelled");
                continue;
            }
            if (r.cport() == 0 || r.vport() == 0xffff) {
                warnings.add("persistence templates are not seeded (" + c.line().file() + ":" + c.line().no() + ")");
                continue;
            }
            IpvsService svc = ipvs.service(proto, r.vaddr(), r.vport());
            if (svc == null) {
                if (list != null || !addServices) {
                    warnings.add("entries of services that " + (addServices ? "ipvsadm -Ln does not list"
                            : "the scenario does not have") + " are not seeded (" + Ip4.endpoint(r.vaddr(), r.vport()) + ")");
                    continue;
                }
                svc = service(ipvs, proto, r.vaddr(), r.vport(), "rr", 0, warnings);
                if (svc == null) {
                    continue;
                }
            }
            IpvsDest d = dest(svc, r.daddr(), r.dport());
            if (d == null) {
                try {
                    d = ipvs.addDest(svc, r.daddr(), r.dport(), IpvsDest.FWD_MASQ, 1, 0, 0);
                } catch (IpvsException ex) {
                    continue;
                }
                if (list != null || !addServices) {
                    gone.add(d);
                }
            }
            if (ipvs.connection(proto, r.caddr(), r.cport(), r.vaddr(), r.vport()) == null) {
                ipvs.restoreConnection(proto, r.caddr(), r.cport(), r.vaddr(), r.vport(), d, state, r.expiresSeconds());
            }
        }
        for (IpvsDest d : gone) {
            for (IpvsService s : ipvs.services()) {
                if (s.dests().contains(d)) {
                    try {
                        ipvs.deleteDest(s, d.addr(), d.port());
                    } catch (IpvsException ex) {
                        warnings.add("real server " + Ip4.endpoint(d.addr(), d.port()) + ": " + ex.getMessage());
                    }
                }
            }
        }
    }

    private static IpvsService service(Ipvs ipvs, int proto, int addr, int port, String sched, int persistent,
                                       List<String> warnings) {
        IpvsService s = ipvs.service(proto, addr, port);
        if (s != null) {
            return s;
        }
        try {
            return ipvs.addService(proto, addr, port, sched.isEmpty() ? "rr" : sched, 0, persistent, 0xffffffff);
        } catch (IpvsException ex) {
            try {
                warnings.add("scheduler " + sched + " is not modelled: rr is used for " + Ip4.endpoint(addr, port));
                return ipvs.addService(proto, addr, port, "rr", 0, persistent, 0xffffffff);
            } catch (IpvsException ex2) {
                return null;
            }
        }
    }

    static IpvsDest dest(IpvsService s, int addr, int port) {
        for (IpvsDest d : s.dests()) {
            if (d.addr() == addr && d.port() == port) {
                return d;
            }
        }
        return null;
    }

    /** Seeds conntrack; in IPVS mode the entries carry no NAT bits (IPVS rewrites, not netfilter NAT). */
    static void conntrack(ConntrackTable table, Dumps.Conntrack ct, boolean ipvsMode, List<String> warnings) {
        for (Dumps.CtEntry c : ct.entries()) {
            int l4 = c.ct().l4num();
            if (!c.ipv4() || (l4 != IpProto.TCP && l4 != IpProto.UDP)) {
                continue;
            }
            int status = CtStatus.SEEN_REPLY;
            if (c.ct().unreplied()) {
                status = 0;
            }
            if ("ASSURED".equals(c.ct().flag())) {
                status |= CtStatus.ASSURED;
            }
            if (!ipvsMode && c.replySrc() != c.dst()) {
                status |= CtStatus.DST_NAT | CtStatus.DST_NAT_DONE;
            }
            if (!ipvsMode && c.replyDst() != c.src()) {
                status |= CtStatus.SRC_NAT | CtStatus.SRC_NAT_DONE;
            }
            int state = l4 == IpProto.TCP && c.ct().state() != null ? TcpConntrackTable.byName(c.ct().state()) : -1;
            long timeout = c.ct().timeout() == null ? 0 : Math.min(c.ct().timeout(), 1L << 31);
            if (table.restore(l4, c.src(), c.dst(), c.sport(), c.dport(), c.replySrc(), c.replyDst(), c.replySport(),
                    c.replyDport(), state, status, timeout * 1_000_000_000L + 500_000_000L) == null) {
                warnings.add("conntrack entries with clashing tuples are seeded once (" + c.line().file() + ":"
                        + c.line().no() + ")");
            }
        }
    }

}
