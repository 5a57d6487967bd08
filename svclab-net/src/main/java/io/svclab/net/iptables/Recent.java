package io.svclab.net.iptables;

import io.svclab.net.Ip4;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code -m recent} (net/netfilter/xt_recent.c): named address lists shared by every rule of
 * the namespace that names them, each at most {@link #IP_LIST_TOT} entries (the oldest is
 * evicted) of at most {@link #IP_PKT_LIST_TOT} time stamps. kube-proxy uses it for ClientIP
 * session affinity: {@code --rcheck --seconds T --reap} in KUBE-SVC, {@code --set} in KUBE-SEP.
 */
final class Recent {

    /** Module parameter {@code ip_list_tot}: entries per list. */
    static final int IP_LIST_TOT = 100;
    /** Module parameter {@code ip_pkt_list_tot}: time stamps per entry. */
    static final int IP_PKT_LIST_TOT = 20;

    private Recent() {
    }

    /** One address of a list. */
    static final class Entry {
        final long[] stamps = new long[IP_PKT_LIST_TOT];
        int nstamps;
        int index;

        long last() {
            return stamps[index - 1];
        }
    }

    /** One named list, in LRU order (oldest first). */
    static final class Table {
        final String name;
        final LinkedHashMap<Integer, Entry> entries = new LinkedHashMap<>();

        Table(String name) {
            this.name = name;
        }

        void update(int addr, Entry e, long now) {
            e.index %= IP_PKT_LIST_TOT;
            e.stamps[e.index++] = now;
            if (e.index > e.nstamps) {
                e.nstamps = e.index;
            }
            entries.remove(addr);
            entries.put(addr, e);
        }

        void init(int addr, long now) {
            if (entries.size() >= IP_LIST_TOT) {
                Iterator<Integer> it = entries.keySet().iterator();
                it.next();
                it.remove();
            }
            Entry e = new Entry();
            e.stamps[0] = now;
            e.nstamps = 1;
            e.index = 1;
            entries.put(addr, e);
        }

        /** {@code recent_entry_reap}: drops the oldest entry when its last stamp is before {@code time}. */
        void reap(long time, Entry working, boolean update) {
            if (entries.isEmpty()) {
                return;
            }
            Map.Entry<Integer, Entry> oldest = entries.entrySet().iterator().next();
            if (oldest.getValue() == working && update) {
                return;
            }
            if (oldest.getValue().last() < time) {
                entries.remove(oldest.getKey());
            }
        }
    }

    /** The lists of one namespace, by name. */
    static final class Registry {
        final TreeMap<String, Table> tables = new TreeMap<>();

        Table table(String name) {
            return tables.computeIfAbsent(name, Table::new);
        }

        /** Drops lists no rule names any more (the kernel frees a list with its last rule). */
        void retain(Set<String> used) {
            tables.keySet().retainAll(used);
        }
    }

    static final int SET = 1;
    static final int CHECK = 2;
    static final int UPDATE = 4;
    static final int REMOVE = 8;
    static final int TTL = 16;
    static final int REAP = 32;

    /** The match. */
    static final class Match extends Matches.Parsed {
        private final Registry registry;
        String name = "DEFAULT";
        int checkSet;
        int seconds;
        int hitCount;
        boolean invert;
        boolean dest;
        Table table;

        Match(Registry registry) {
            this.registry = registry;
        }

        @Override
        public String name() {
            return "recent";
        }

        @Override
        boolean option(String opt, boolean inv, Args a) throws IptablesRestoreException {
            switch (opt) {
                case "--name": {
                    String n = a.value(opt);
                    if (n.isEmpty() || n.length() > 200 || !n.chars().allMatch(c -> c > ' ' && c != '/')) {
                        throw a.error("bad --name \"" + n + "\"");
                    }
                    name = n;
                    return true;
                }
                case "--set":
                    return action(SET, inv, a);
                case "--rcheck":
                    return action(CHECK, inv, a);
                case "--update":
                    return action(UPDATE, inv, a);
                case "--remove":
                    return action(REMOVE, inv, a);
                case "--seconds":
                    seconds = (int) a.number(opt, a.value(opt), 1, Integer.MAX_VALUE);
                    return true;
                case "--hitcount":
                    hitCount = (int) a.number(opt, a.value(opt), 1, IP_PKT_LIST_TOT);
                    return true;
                case "--reap":
                    checkSet |= REAP;
                    return true;
                case "--rttl":
                    throw a.error("\"--rttl\" of \"-m recent\" is not modelled");
                case "--rsource":
                    dest = false;
                    return true;
                case "--rdest":
                    dest = true;
                    return true;
                case "--mask": {
                    String m = a.value(opt);
                    if (!m.equals("255.255.255.255")) {
                        throw a.error("\"--mask\" other than 255.255.255.255 is not modelled");
                    }
                    return true;
                }
                default:
                    return false;
            }
        }

        private boolean action(int bit, boolean inv, Args a) throws IptablesRestoreException {
            if ((checkSet & (SET | CHECK | UPDATE | REMOVE)) != 0) {
                throw a.error("use only one of --set, --rcheck, --update or --remove");
            }
            checkSet |= bit;
            invert = inv;
            return true;
        }

        @Override
        void finish(Args a, int proto, boolean protoInvert) throws IptablesRestoreException {
            if ((checkSet & (SET | CHECK | UPDATE | REMOVE)) == 0) {
                throw a.error("\"-m recent\" needs one of --set, --rcheck, --update or --remove");
            }
            if ((seconds != 0 || hitCount != 0) && (checkSet & (CHECK | UPDATE)) == 0) {
                throw a.error("--seconds and --hitcount need --rcheck or --update");
            }
            if ((checkSet & REAP) != 0 && seconds == 0) {
                throw a.error("--reap needs --seconds");
            }
            table = registry.table(name);
        }

        @Override
        public boolean test(Packet p, NetNamespace ns) {
            boolean ret = invert;
            int addr = dest ? p.dst : p.src;
            long now = ns.now();
            Entry e = table.entries.get(addr);
            if (e == null) {
                if ((checkSet & SET) == 0) {
                    return ret;
                }
                table.init(addr, now);
                return !ret;
            }
            if ((checkSet & SET) != 0) {
                ret = !ret;
            } else if ((checkSet & REMOVE) != 0) {
                table.entries.remove(addr);
                return !ret;
            } else if (seconds != 0 || hitCount != 0) {
                long time = now - seconds * 1_000_000_000L;
                int hits = 0;
                for (int i = 0; i < e.nstamps; i++) {
                    if (seconds != 0 && e.stamps[i] < time) {
                        continue;
                    }
                    if (hitCount == 0 || ++hits >= hitCount) {
                        ret = !ret;
                        break;
                    }
                }
                if ((checkSet & REAP) != 0) {
                    table.reap(time, e, (checkSet & UPDATE) != 0);
                }
            } else {
                ret = !ret;
            }
            if ((checkSet & SET) != 0 || ((checkSet & UPDATE) != 0 && ret)) {
                if (table.entries.containsKey(addr)) {
                    table.update(addr, e, now);
                }
            }
            return ret;
        }

        @Override
        public void save(StringBuilder b) {
            b.append(" -m recent");
            if (invert) {
                b.append(" !");
            }
            if ((checkSet & SET) != 0) {
                b.append(" --set");
            }
            if ((checkSet & CHECK) != 0) {
                b.append(" --rcheck");
            }
            if ((checkSet & UPDATE) != 0) {
                b.append(" --update");
            }
            if ((checkSet & REMOVE) != 0) {
                b.append(" --remove");
            }
            if (seconds != 0) {
                b.append(" --seconds ").append(seconds);
            }
            if ((checkSet & REAP) != 0) {
                b.append(" --reap");
            }
            if (hitCount != 0) {
                b.append(" --hitcount ").append(hitCount);
            }
            b.append(" --name ").append(name).append(" --mask ").append(Ip4.format(-1))
                    .append(dest ? " --rdest" : " --rsource");
        }
    }
}
