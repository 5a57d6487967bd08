package io.svclab.net.conntrack;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of the {@code conntrack} command (conntrack-tools 1.4.7) that reads and edits a
 * simulated table: {@code -L}, {@code -D}, {@code -F}, {@code -C}, {@code -S} with the tuple
 * filters and {@code -o id|extended}. Command text in, {@link Result} out; bad input gives an
 * error message and exit status 1, never an exception.
 */
public final class ConntrackTool {

    /** The tool's version banner as it prints it on stderr. */
    public static final String BANNER = "conntrack v1.4.7 (conntrack-tools)";

    /**
     * The outcome of one command.
     *
     * @param exitCode 0 on success, 1 on error
     * @param stdout what the tool printed on standard output
     * @param stderr summary lines and error messages
     */
    public record Result(int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final ConntrackTable table;

    public ConntrackTool(ConntrackTable table) {
        this.table = table;
    }

    private static final class Filter {
        int proto = -1;
        Integer origSrc;
        Integer origDst;
        Integer replySrc;
        Integer replyDst;
        int origSport = -1;
        int origDport = -1;
        int replySport = -1;
        int replyDport = -1;
        int state = -1;
        Long mark;

        boolean matches(Conn c) {
            return (proto < 0 || c.proto == proto)
                    && (origSrc == null || c.origSrc == origSrc)
                    && (origDst == null || c.origDst == origDst)
                    && (replySrc == null || c.replySrc == replySrc)
                    && (replyDst == null || c.replyDst == replyDst)
                    && (origSport < 0 || c.origSport == origSport)
                    && (origDport < 0 || c.origDport == origDport)
                    && (replySport < 0 || c.replySport == replySport)
                    && (replyDport < 0 || c.replyDport == replyDport)
                    && (state < 0 || c.tcpState == state)
                    && (mark == null || (c.mark & 0xffffffffL) == mark);
        }
    }

    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String m) {
            super(m, null, false, false);
        }
    }

    /** Runs one command line, e.g. {@code conntrack -L -p tcp --orig-dst 10.96.0.10 -o id}. */
    public Result run(String commandLine) {
        try {
            return execute(commandLine.trim().split("\\s+"));
        } catch (Bad e) {
            return new Result(1, "", "conntrack: " + e.getMessage() + "\n");
        }
    }

    private Result execute(String[] a) throws Bad {
        int i = 0;
        if (a.length > 0 && a[0].equals("conntrack")) {
            i++;
        }
        char cmd = 0;
        Filter f = new Filter();
        boolean withId = false;
        boolean extended = false;
        boolean portOption = false;
        for (; i < a.length; i++) {
            String o = a[i];
            switch (o) {
                case "-L":
                case "--dump":
                    cmd = command(cmd, 'L');
                    break;
                case "-D":
                case "--delete":
                    cmd = command(cmd, 'D');
                    break;
                case "-F":
                case "--flush":
                    cmd = command(cmd, 'F');
                    break;
                case "-C":
                case "--count":
                    cmd = command(cmd, 'C');
                    break;
                case "-S":
                case "--stats":
                    cmd = command(cmd, 'S');
                    break;
                case "-p":
                case "--proto":
                    String p = arg(a, ++i, o);
                    f.proto = switch (p) {
                        case "tcp", "6" -> IpProto.TCP;
                        case "udp", "17" -> IpProto.UDP;
                        case "icmp", "1" -> IpProto.ICMP;
                        default -> throw new Bad("unsupported protocol \"" + p + "\"");
                    };
                    break;
                case "-s":
                case "--src":
                case "--orig-src":
                    f.origSrc = addr(a, ++i, o);
                    break;
                case "-d":
                case "--dst":
                case "--orig-dst":
                    f.origDst = addr(a, ++i, o);
                    break;
                case "-r":
                case "--reply-src":
                    f.replySrc = addr(a, ++i, o);
                    break;
                case "-q":
                case "--reply-dst":
                    f.replyDst = addr(a, ++i, o);
                    break;
                case "--sport":
                case "--orig-port-src":
                    f.origSport = port(a, ++i, o);
                    portOption = true;
                    break;
                case "--dport":
                case "--orig-port-dst":
                    f.origDport = port(a, ++i, o);
                    portOption = true;
                    break;
                case "--reply-port-src":
                    f.replySport = port(a, ++i, o);
                    portOption = true;
                    break;
                case "--reply-port-dst":
                    f.replyDport = port(a, ++i, o);
                    portOption = true;
                    break;
                case "--state":
                    String st = arg(a, ++i, o);
                    f.state = TcpConntrackTable.byName(st);
                    if (f.state < 0) {
                        throw new Bad("unknown TCP state \"" + st + "\"");
                    }
                    portOption = true;
                    break;
                case "-m":
                case "--mark":
                    String m = arg(a, ++i, o);
                    try {
                        f.mark = Long.parseLong(m);
                    } catch (NumberFormatException e) {
                        throw new Bad("bad mark \"" + m + "\"");
                    }
                    break;
                case "-o":
                case "--output":
                    for (String x : arg(a, ++i, o).split(",")) {
                        if (x.equals("id")) {
                            withId = true;
                        } else if (x.equals("extended")) {
                            extended = true;
                        } else {
                            throw new Bad("unsupported output format \"" + x + "\"");
                        }
                    }
                    break;
                default:
                    throw new Bad("unsupported option \"" + o + "\"");
            }
        }
        if (cmd == 0) {
            throw new Bad("no command specified");
        }
        if (portOption && f.proto < 0) {
            throw new Bad("missing protocol: use -p with port or state filters");
        }
        long now = table.namespace().now();
        switch (cmd) {
            case 'L': {
                StringBuilder out = new StringBuilder();
                int n = 0;
                for (Conn c : table.entries()) {
                    if (f.matches(c)) {
                        out.append(CtFormat.conntrackLine(c, now, extended, withId)).append('\n');
                        n++;
                    }
                }
                return new Result(0, out.toString(), BANNER + ": " + n + " flow entries have been shown.\n");
            }
            case 'D': {
                StringBuilder out = new StringBuilder();
                List<Conn> victims = new ArrayList<>();
                for (Conn c : table.entries()) {
                    if (f.matches(c)) {
                        victims.add(c);
                    }
                }
                for (Conn c : victims) {
                    out.append(CtFormat.conntrackLine(c, now, extended, withId)).append('\n');
                    table.delete(c);
                }
                int n = victims.size();
                if (n == 0) {
                    return new Result(1, "", BANNER + ": 0 flow entries have been deleted.\n");
                }
                return new Result(0, out.toString(), BANNER + ": " + n + " flow entries have been deleted.\n");
            }
            case 'F':
                table.flush();
                return new Result(0, "", BANNER + ": connection tracking table has been emptied.\n");
            case 'C':
                return new Result(0, table.entries().size() + "\n", "");
            default:
                return new Result(0, CtFormat.statsLine(table) + "\n", "");
        }
    }

    private static char command(char current, char next) throws Bad {
        if (current != 0 && current != next) {
            throw new Bad("only one command at a time (-" + current + " and -" + next + ")");
        }
        return next;
    }

    private static String arg(String[] a, int i, String option) throws Bad {
        if (i >= a.length) {
            throw new Bad("option \"" + option + "\" requires an argument");
        }
        return a[i];
    }

    private static int addr(String[] a, int i, String option) throws Bad {
        String s = arg(a, i, option);
        try {
            return Ip4.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Bad("bad address \"" + s + "\" for " + option);
        }
    }

    private static int port(String[] a, int i, String option) throws Bad {
        String s = arg(a, i, option);
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new Bad("bad port \"" + s + "\" for " + option);
        }
    }
}
