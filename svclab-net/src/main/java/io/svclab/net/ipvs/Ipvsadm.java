package io.svclab.net.ipvs;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code ipvsadm} command-line executor over one {@link Ipvs}: {@code -A -E -D -C -a -e -d
 * --set} and the listings {@code -Ln [--stats|--rate|--timeout]}, {@code -Lnc}. Defaults are
 * ipvsadm's: scheduler {@code wlc}, forwarding {@code -g} (direct routing) and weight 1 for
 * {@code -a} and {@code -e} (an {@code -e} without {@code -m} switches a server to DR, as with the
 * real tool), persistence 300 s for a bare {@code -p}. Errors are reported as ipvsadm reports the
 * kernel's errno, with exit code 1. Listings are always numeric ({@code -n} is accepted and
 * implied: the simulator resolves no names).
 */
public final class Ipvsadm {

    /**
     * Outcome of one command.
     *
     * @param exitCode 0 on success
     * @param stdout listing text
     * @param stderr error text (one line with a newline), empty on success
     */
    public record Result(int exitCode, String stdout, String stderr) {
        static Result ok(String out) {
            return new Result(0, out, "");
        }

        static Result error(String msg) {
            return new Result(1, "", msg + "\n");
        }

        static Result usage(String msg) {
            return new Result(2, "", msg + "\n");
        }
    }

    private final Ipvs ipvs;

    public Ipvsadm(Ipvs ipvs) {
        this.ipvs = ipvs;
    }

    /** Runs one command line, e.g. {@code ipvsadm -a -t 10.96.0.10:80 -r 10.244.1.5:8080 -m -w 1}. */
    public Result exec(String commandLine) {
        List<String> t = new ArrayList<>(List.of(commandLine.trim().split("\\s+")));
        if (!t.isEmpty() && t.get(0).equals("ipvsadm")) {
            t.remove(0);
        }
        String cmd = null;
        int proto = 0;
        int[] vip = null;
        int[] rip = null;
        String sched = "wlc";
        int persist = 0;
        int netmask = 0xffffffff;
        int fwd = IpvsDest.FWD_DROUTE;
        int weight = 1;
        int u = 0;
        int l = 0;
        int flags = 0;
        boolean numeric = false;
        boolean statsOpt = false;
        boolean rateOpt = false;
        boolean timeoutOpt = false;
        boolean connOpt = false;
        int[] set = null;
        try {
            for (int i = 0; i < t.size(); i++) {
                String a = t.get(i);
                switch (a) {
                    case "-A": case "--add-service": cmd = "A"; break;
                    case "-E": case "--edit-service": cmd = "E"; break;
                    case "-D": case "--delete-service": cmd = "D"; break;
                    case "-C": case "--clear": cmd = "C"; break;
                    case "-a": case "--add-server": cmd = "a"; break;
                    case "-e": case "--edit-server": cmd = "e"; break;
                    case "-d": case "--delete-server": cmd = "d"; break;
                    case "-L": case "-l": case "--list": cmd = "L"; break;
                    case "-Ln": case "-ln": cmd = "L"; numeric = true; break;
                    case "-Lnc": case "-lnc": case "-Lcn": cmd = "L"; numeric = true; connOpt = true; break;
                    case "-n": case "--numeric": numeric = true; break;
                    case "-S": case "--save": cmd = "S"; break;
                    case "-Sn": cmd = "S"; numeric = true; break;
                    case "-c": case "--connection": connOpt = true; break;
                    case "--stats": statsOpt = true; break;
                    case "--rate": rateOpt = true; break;
                    case "--timeout": timeoutOpt = true; break;
                    case "--set":
                        cmd = "set";
                        set = new int[] {Integer.parseInt(t.get(++i)), Integer.parseInt(t.get(++i)),
                            Integer.parseInt(t.get(++i))};
                        break;
                    case "-t": case "--tcp-service": proto = IpProto.TCP; vip = endpoint(t.get(++i)); break;
                    case "-u": case "--udp-service": proto = IpProto.UDP; vip = endpoint(t.get(++i)); break;
                    case "-s": case "--scheduler": sched = t.get(++i); break;
                    case "-p": case "--persistent":
                        persist = 300;
                        if (i + 1 < t.size() && t.get(i + 1).matches("\\d+")) {
                            persist = Integer.parseInt(t.get(++i));
                        }
                        break;
                    case "-M": case "--netmask": netmask = Ip4.parse(t.get(++i)); break;
                    case "-r": case "--real-server": rip = endpoint(t.get(++i)); break;
                    case "-g": case "--gatewaying": fwd = IpvsDest.FWD_DROUTE; break;
                    case "-i": case "--ipip": fwd = IpvsDest.FWD_TUNNEL; break;
                    case "-m": case "--masquerading": fwd = IpvsDest.FWD_MASQ; break;
                    case "-w": case "--weight": weight = Integer.parseInt(t.get(++i)); break;
                    case "-x": case "--u-threshold": u = Integer.parseInt(t.get(++i)); break;
                    case "-y": case "--l-threshold": l = Integer.parseInt(t.get(++i)); break;
                    case "-o": case "--ops": flags |= IpvsService.FLAG_ONEPACKET; break;
                    case "-b": case "--sched-flags": flags |= schedFlags(t.get(++i)); break;
                    default:
                        return Result.usage("ipvsadm: invalid option -- '" + a + "'");
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return Result.usage("ipvsadm: option requires an argument");
        } catch (IllegalArgumentException e) {
            return Result.usage("ipvsadm: illegal argument: " + e.getMessage());
        }
        if (cmd == null) {
            return Result.usage("ipvsadm: no command specified");
        }
        try {
            switch (cmd) {
                case "L":
                    if (timeoutOpt) {
                        return Result.ok(IpvsFormat.timeouts(ipvs));
                    }
                    if (connOpt) {
                        return Result.ok(IpvsFormat.connections(ipvs));
                    }
                    if (statsOpt) {
                        return Result.ok(IpvsFormat.stats(ipvs));
                    }
                    if (rateOpt) {
                        return Result.ok(IpvsFormat.rate(ipvs));
                    }
                    return Result.ok(IpvsFormat.list(ipvs));
                case "S":
                    return Result.ok(IpvsFormat.save(ipvs));
                case "C":
                    ipvs.flush();
                    return Result.ok("");
                case "set":
                    ipvs.setTimeouts(set[0], set[1], set[2]);
                    return Result.ok("");
                default:
                    break;
            }
            if (vip == null) {
                return Result.usage("ipvsadm: Service address not specified");
            }
            switch (cmd) {
                case "A":
                    ipvs.addService(proto, vip[0], vip[1], sched, flags, persist, netmask);
                    return Result.ok("");
                case "E":
                    ipvs.editService(proto, vip[0], vip[1], sched, flags, persist, netmask);
                    return Result.ok("");
                case "D":
                    ipvs.deleteService(proto, vip[0], vip[1]);
                    return Result.ok("");
                default:
                    break;
            }
            if (rip == null) {
                return Result.usage("ipvsadm: real server address not specified");
            }
            IpvsService s = ipvs.service(proto, vip[0], vip[1]);
            if (s == null) {
                return Result.error("Service not defined");
            }
            switch (cmd) {
                case "a":
                    ipvs.addDest(s, rip[0], rip[1] == 0 ? vip[1] : rip[1], fwd, weight, u, l);
                    return Result.ok("");
                case "e":
                    ipvs.editDest(s, rip[0], rip[1] == 0 ? vip[1] : rip[1], fwd, weight, u, l);
                    return Result.ok("");
                default:
                    ipvs.deleteDest(s, rip[0], rip[1] == 0 ? vip[1] : rip[1]);
                    return Result.ok("");
            }
        } catch (IpvsException e) {
            return Result.error(e.getMessage());
        }
    }

    private static int schedFlags(String list) {
        int f = 0;
        for (String x : list.split(",")) {
            switch (x) {
                case "flag-1": case "sh-fallback": case "mh-fallback": f |= IpvsService.FLAG_SCHED1; break;
                case "flag-2": case "sh-port": case "mh-port": f |= IpvsService.FLAG_SCHED2; break;
                case "flag-3": f |= IpvsService.FLAG_SCHED3; break;
                default: throw new IllegalArgumentException(x);
            }
        }
        return f;
    }

    /** {@code addr[:port]}; port 0 when absent. */
    private static int[] endpoint(String s) {
        int c = s.lastIndexOf(':');
        if (c < 0) {
            return new int[] {Ip4.parse(s), 0};
        }
        int port = Integer.parseInt(s.substring(c + 1));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(s);
        }
        return new int[] {Ip4.parse(s.substring(0, c)), port};
    }
}
