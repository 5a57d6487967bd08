package io.svclab.report;

import io.svclab.cli.Main;
import io.svclab.net.Icmp;
import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.Packet;
import io.svclab.net.TcpFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pcapng capture: header bytes and checksums of hand-built packets, then a scripted failed
 * connection captured through {@code run --pcap} and read back with an independent reader (and
 * with tshark where it is installed): its SYNs at the kernel's instants, before and after NAT.
 */
class PcapWriterTest {

    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] frame(Packet p) {
        byte[] b = new byte[14 + 65535];
        int n = PcapWriter.ethernet(b, 0x0a000001, 0x0a000002, p);
        return java.util.Arrays.copyOf(b, n);
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    private static long u32(byte[] b, int o) {
        return ((long) u16(b, o) << 16) | u16(b, o + 2);
    }

    @Test
    void internetChecksumOfTheRfc1071StyleExampleHeader() {
        // the well-known example header 192.168.0.1 > 192.168.0.199 UDP, checksum b861
        byte[] h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0,
            (byte) 0xc0, (byte) 0xa8, 0x00, 0x01, (byte) 0xc0, (byte) 0xa8, 0x00, (byte) 0xc7};
        assertThat(PcapWriter.checksum(h, 0, 20, 0)).isEqualTo(0xb861);
    }

    @Test
    void synWithTimestampsHasEveryHeaderFieldAndBothChecksums() {
        Packet p = new Packet().clear();
        p.proto = IpProto.TCP;
        p.src = Ip4.parse("10.244.1.3");
        p.dst = Ip4.parse("10.96.0.10");
        p.sport = 40002;
        p.dport = 80;
        p.tcpFlags = TcpFlags.SYN;
        p.seq = (int) 1040226344L;
        p.ack = 12345; // not on the wire without ACK
        p.window = 64240;
        p.tsVal = 741524766;
        byte[] f = frame(p);
        assertThat(f).hasSize(14 + 52);
        // Ethernet: 02:00:0a:00:00:02 < 02:00:0a:00:00:01, IPv4
        assertThat(java.util.Arrays.copyOf(f, 14)).containsExactly(2, 0, 10, 0, 0, 2, 2, 0, 10, 0, 0, 1, 8, 0);
        assertThat(f[14]).isEqualTo((byte) 0x45);
        assertThat(u16(f, 16)).isEqualTo(52);          // total length: 20 + 20 + 12 bytes of options
        assertThat(u16(f, 18)).isEqualTo(0);           // id
        assertThat(u16(f, 20)).isEqualTo(0x4000);      // DF
        assertThat(f[22] & 0xff).isEqualTo(64);        // TTL
        assertThat(f[23] & 0xff).isEqualTo(6);
        assertThat(u16(f, 24)).isEqualTo(0x2464);      // header checksum (computed apart)
        assertThat(u32(f, 26)).isEqualTo(0x0af40103L);
        assertThat(u32(f, 30)).isEqualTo(0x0a60000aL);
        assertThat(u16(f, 34)).isEqualTo(40002);
        assertThat(u16(f, 36)).isEqualTo(80);
        assertThat(u32(f, 38)).isEqualTo(1040226344L);
        assertThat(u32(f, 42)).isZero();
        assertThat(f[46] & 0xff).isEqualTo(8 << 4);    // data offset 32 bytes
        assertThat(f[47] & 0xff).isEqualTo(0x02);
        assertThat(u16(f, 48)).isEqualTo(64240);
        assertThat(u16(f, 50)).isEqualTo(0x016e);      // TCP checksum with pseudo-header (computed apart)
        assertThat(java.util.Arrays.copyOfRange(f, 54, 58)).containsExactly(1, 1, 8, 10);
        assertThat(u32(f, 58)).isEqualTo(741524766L);
        assertThat(u32(f, 62)).isZero();
        assertThat(Pcapng.checksumsValid(new Pcapng.Frame(0, 0, f))).isTrue();
    }

    @Test
    void udpDatagramHasItsLengthAndChecksum() {
        Packet p = new Packet().clear();
        p.proto = IpProto.UDP;
        p.src = Ip4.parse("10.244.1.3");
        p.dst = Ip4.parse("10.96.0.53");
        p.sport = 5353;
        p.dport = 53;
        p.payloadLength = 20;
        byte[] f = frame(p);
        assertThat(f).hasSize(14 + 48);
        assertThat(u16(f, 16)).isEqualTo(48);
        assertThat(u16(f, 38)).isEqualTo(28);
        assertThat(u16(f, 40)).isEqualTo(0xd40c);
        assertThat(Pcapng.checksumsValid(new Pcapng.Frame(0, 0, f))).isTrue();
    }

    @Test
    void icmpHostUnreachableQuotesTheOffendingSyn() {
        Packet p = new Packet().clear();
        p.proto = IpProto.ICMP;
        p.src = Ip4.parse("10.244.1.1");
        p.dst = Ip4.parse("10.244.1.3");
        p.ttl = 64;
        p.icmpType = Icmp.DEST_UNREACH;
        p.icmpCode = Icmp.HOST_UNREACH;
        p.innerProto = IpProto.TCP;
        p.innerSrc = Ip4.parse("10.244.1.3");
        p.innerDst = Ip4.parse("10.244.1.2");
        p.innerSport = 40002;
        p.innerDport = 8080;
        p.innerSeq = 7;
        byte[] f = frame(p);
        assertThat(f).hasSize(14 + 20 + 8 + 28);
        assertThat(u16(f, 20)).isZero();                // no DF on ICMP errors
        assertThat(f[34] & 0xff).isEqualTo(3);
        assertThat(f[35] & 0xff).isEqualTo(1);
        int q = 42;                                     // the quoted IPv4 header
        assertThat(f[q] & 0xff).isEqualTo(0x45);
        assertThat(f[q + 9] & 0xff).isEqualTo(6);
        assertThat(u32(f, q + 12)).isEqualTo(0x0af40103L);
        assertThat(u32(f, q + 16)).isEqualTo(0x0af40102L);
        assertThat(u16(f, q + 20)).isEqualTo(40002);
        assertThat(u16(f, q + 22)).isEqualTo(8080);
        assertThat(u32(f, q + 24)).isEqualTo(7);
        assertThat(Pcapng.onesSum(f, q, 20, 0)).isEqualTo(0xffff);
        assertThat(Pcapng.checksumsValid(new Pcapng.Frame(0, 0, f))).isTrue();
    }

    /**
     * One connection to the only backend succeeds, the backend pod is deleted while the node
     * still caches its MAC, and the next connection's SYNs follow the DNAT into the void: on 4.19
     * (no linear timeouts) at 0, 1, 3, 7, 15, 31 and 63 s (spec conntrack-nat-tcp.md CL-4). By
     * the last one the node's neighbour entry for the pod has failed: the node resolves again,
     * three ARP probes 1 s apart go unanswered, and it answers the SYN with ICMP host unreachable
     * (spec §7.4/§7.5), which ends the connect with EHOSTUNREACH.
     */
    static final String FAILED = String.join("\n",
            "name: pcap-failed",
            "duration: 130s",
            "kernel: \"4.19\"",
            "proxy: {mode: none}",
            "network: {cni: bridge}",
            "services:",
            "  - {name: web, clusterIP: 10.96.0.10, port: 80, targetPort: 8080}",
            "deployments:",
            "  - name: be",
            "    service: web",
            "    replicas: 1",
            "    podIPs: [10.244.1.2]",
            "    pod: {startup: 0s, readinessDelay: 0s}",
            "clients:",
            "  - name: client",
            "    target: web",
            "    connectionsPerSecond: 0",
            "    timeout: 0s",
            "steps:",
            "  - iptables-restore: |",
            "      *nat",
            "      :KUBE-SERVICES - [0:0]",
            "      -A PREROUTING -j KUBE-SERVICES",
            "      -A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.2:8080",
            "      COMMIT",
            "  - connect: {client: client, sport: 40001}",
            "  - deletePod: be-0",
            "  - connect: {client: client, sport: 40002}",
            "");

    private Path capture() throws IOException {
        Path yaml = dir.resolve("failed.yaml");
        Files.writeString(yaml, FAILED, StandardCharsets.UTF_8);
        Path pcap = dir.resolve("failed.pcapng");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), "run", yaml.toString(), "--pcap",
                pcap.toString());
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("step 3 connect   at 0.003 s  EHOSTUNREACH");
        return pcap;
    }

    private static List<Pcapng.Frame> syns(Pcapng c, String where, int sport) {
        List<Pcapng.Frame> out = new ArrayList<>();
        for (Pcapng.Frame f : c.frames) {
            if (c.name(f).equals(where) && f.u8(23) == 6 && f.u16(34) == sport && f.u8(47) == 0x02) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void failedConnectionShowsItsSynRetransmissionsAtTheKernelsInstantsBeforeAndAfterNat() throws IOException {
        Pcapng c = new Pcapng(capture());
        assertThat(c.application).isEqualTo("svclab 0.1.0");
        assertThat(c.interfaces).extracting(Pcapng.Interface::name)
                .containsExactlyInAnyOrder("client-0/eth0", "node-1/cni0", "be-0/eth0");
        assertThat(c.interfaces).allSatisfy(i -> {
            assertThat(i.linkType()).isEqualTo(1);
            assertThat(i.tsresol()).isEqualTo(9);
        });
        assertThat(c.frames).allSatisfy(f -> assertThat(Pcapng.checksumsValid(f)).isTrue());

        List<Pcapng.Frame> pre = syns(c, "client-0/eth0", 40002);
        assertThat(pre).hasSize(7);
        long t0 = pre.get(0).timestamp();
        assertThat(pre).extracting(f -> f.timestamp() - t0)
                .containsExactly(0L, 1 * S, 3 * S, 7 * S, 15 * S, 31 * S, 63 * S);
        // before NAT: to the ClusterIP, TTL 64, one sequence number for every retransmission
        assertThat(pre).allSatisfy(f -> {
            assertThat(f.u32(30)).isEqualTo(0x0a60000aL);
            assertThat(f.u16(36)).isEqualTo(80);
            assertThat(f.u8(22)).isEqualTo(64);
            assertThat(f.u32(38)).isEqualTo(pre.get(0).u32(38));
        });
        // after NAT, on the node's bridge: to the deleted pod 10.244.1.2:8080, TTL 63, one hop later
        List<Pcapng.Frame> post = syns(c, "node-1/cni0", 40002);
        assertThat(post).hasSize(6); // the seventh waits for ARP and is answered with ICMP
        for (int i = 0; i < 6; i++) {
            Pcapng.Frame f = post.get(i);
            assertThat(f.timestamp() - pre.get(i).timestamp()).isEqualTo(50_000L);
            assertThat(f.u32(30)).isEqualTo(0x0af40102L);
            assertThat(f.u16(36)).isEqualTo(8080);
            assertThat(f.u8(22)).isEqualTo(63);
            assertThat(f.u32(26)).isEqualTo(0x0af40103L);
        }
        List<Pcapng.Frame> icmp = c.frames.stream().filter(f -> f.u8(23) == 1).toList();
        assertThat(icmp).hasSize(1);
        Pcapng.Frame u = icmp.get(0);
        assertThat(c.name(u)).isEqualTo("node-1/cni0");
        assertThat(u.timestamp() - t0).isEqualTo(66 * S + 50_000L);
        assertThat(u.u8(34)).isEqualTo(3);   // destination unreachable
        assertThat(u.u8(35)).isEqualTo(1);   // host unreachable
        assertThat(u.u32(30)).isEqualTo(0x0af40103L);
        assertThat(u.u16(42 + 20)).isEqualTo(40002); // the quoted SYN's source port
        // nothing from the deleted pod after its deletion
        assertThat(c.frames).filteredOn(f -> c.name(f).equals("be-0/eth0")).allSatisfy(
                f -> assertThat(f.timestamp()).isLessThan(t0));
    }

    @Test
    void tsharkReadsTheCaptureWithGoodChecksums() throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not installed");
        Path pcap = capture();
        List<String> cmd = List.of("tshark", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE", "-o",
                "tcp.check_checksum:TRUE", "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.srcport==40002", "-T",
                "fields", "-e", "frame.time_epoch", "-e", "frame.interface_name", "-e", "ip.dst",
                "-e", "tcp.checksum.status", "-e", "ip.checksum.status");
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("tshark.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("tshark.err"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).doesNotContainPattern("(?i)damaged|corrupt|isn't a capture|cut short|unknown");
        List<String> rows = out.lines().toList();
        assertThat(rows).hasSize(13).allSatisfy(r -> assertThat(r).endsWith("\t1\t1"));
        // the epoch is the simulated clock: the SYNs 0, 1, 3, ... 63 s after the first, each 50 µs later after NAT
        java.math.BigDecimal t0 = new java.math.BigDecimal(rows.get(0).split("\t")[0]);
        assertThat(rows).extracting(r -> new java.math.BigDecimal(r.split("\t")[0]).subtract(t0).toPlainString())
                .containsExactly("0.000000000", "0.000050000", "1.000000000", "1.000050000", "3.000000000",
                        "3.000050000", "7.000000000", "7.000050000", "15.000000000", "15.000050000", "31.000000000",
                        "31.000050000", "63.000000000");
        assertThat(rows).extracting(r -> r.split("\t")[1] + " " + r.split("\t")[2]).containsExactly(
                "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2", "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2",
                "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2", "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2",
                "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2", "client-0/eth0 10.96.0.10", "node-1/cni0 10.244.1.2",
                "client-0/eth0 10.96.0.10");
    }

    @Test
    void theSameScenarioGivesTheSameCaptureByteForByte() throws IOException {
        Path first = capture();
        byte[] a = Files.readAllBytes(first);
        Files.delete(first);
        assertThat(Files.readAllBytes(capture())).isEqualTo(a);
    }

    @Test
    void aRunStoppedByABadStepLeavesNoCaptureBehind() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, FAILED.replace("-j DNAT --to-destination 10.244.1.2:8080", "-j NOSUCHTARGET"),
                StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", yaml.toString(),
                "--pcap", dir.resolve("bad.pcapng").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).startsWith(yaml + ":24:1: steps[0].iptables-restore: ");
        assertThat(dir.toFile().list()).containsExactly("bad.yaml");
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
