package io.svclab.net.conntrack;

import static io.svclab.net.TcpFlags.ACK;
import static io.svclab.net.TcpFlags.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.svclab.net.Ip4;
import io.svclab.net.IpProto;
import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.netfilter.Hook;
import io.svclab.net.netfilter.HookEntry;
import io.svclab.net.netfilter.Verdict;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

/** The steady-state lookup path (conntrack_in, TCP tracking, NAT rewrite, confirm) allocates nothing. */
class AllocationTest {

    @Test
    void establishedFlowPacketsAllocateNothing() {
        Node n = new Node();
        n.handshake(40000);
        NetNamespace ns = n.e.ns();
        // the hook chains without the test's recording hook
        ns.hooks(Hook.PREROUTING).unregister("record-ctstate");
        Packet p = n.e.packet();
        int client = Ip4.parse(Node.CLIENT);
        int vip = Ip4.parse(Node.VIP);
        int[] seq = {1001};
        Runnable one = () -> {
            p.nfct = null;
            p.src = client;
            p.dst = vip;
            p.proto = IpProto.TCP;
            p.sport = 40000;
            p.dport = 80;
            p.tcpFlags = PSH | ACK;
            p.seq = seq[0];
            p.ack = 5001;
            p.window = Node.WIN;
            p.payloadLength = 0;
            assertThat(ns.hooks(Hook.PREROUTING).run(p, ns) == Verdict.ACCEPT).isTrue();
            ns.hooks(Hook.POSTROUTING).run(p, ns);
        };
        for (int i = 0; i < 20_000; i++) {
            one.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // call the hook functions directly: the chain's trace events (enabled in the harness) allocate
        HookEntry[] pre = ns.hooks(Hook.PREROUTING).entries().toArray(new HookEntry[0]);
        HookEntry[] post = ns.hooks(Hook.POSTROUTING).entries().toArray(new HookEntry[0]);
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            p.nfct = null;
            p.src = client;
            p.dst = vip;
            p.sport = 40000;
            p.dport = 80;
            for (HookEntry e : pre) {
                if (e.fn().apply(p, ns, Hook.PREROUTING) != Verdict.ACCEPT) {
                    throw new AssertionError();
                }
            }
            for (HookEntry e : post) {
                e.fn().apply(p, ns, Hook.POSTROUTING);
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(p.dst).isEqualTo(Ip4.parse(Node.BE1));
        assertThat(allocated).as("bytes allocated by 100000 packets").isLessThan(4096);
    }
}
