package io.svclab.scenario;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import io.svclab.kernel.Sysctl;

/**
 * One scripted step: an item of {@code steps}, a mapping with exactly one key. Every step carries
 * the place of its value, so that parsers of embedded text (rules, tool arguments) can report
 * positions; for a block scalar ({@code |}) the place is that of the indicator and the text's
 * first line is the next line of the file.
 */
public sealed interface Step permits Step.Connect, Step.Wait, Step.Ipvsadm, Step.IptablesRestore, Step.Nft,
        Step.SysctlStep, Step.DeletePod, Step.LinkDown, Step.Vanish, Step.Conntrack, Step.Dump {

    /** Where the step's value is written. */
    SourcePos pos();

    /**
     * {@code connect: {client, sport, hold, close}}: one connection with one request.
     *
     * @param client the client whose first pod connects
     * @param sport source port; 0 = the kernel chooses
     * @param holdNs how long the connection stays open after the request, default 0
     * @param close how it ends, default fin
     * @param pos place of the value
     */
    record Connect(String client, int sport, long holdNs, CloseKind close, SourcePos pos) implements Step {
    }

    /**
     * {@code wait: 200ms}: advances the simulated clock.
     *
     * @param ns how long
     * @param pos place of the value
     */
    record Wait(long ns, SourcePos pos) implements Step {
    }

    /**
     * {@code ipvsadm: "ARGS"}: an ipvsadm command line without the program name.
     *
     * @param args the arguments as written
     * @param pos place of the value
     */
    record Ipvsadm(String args, SourcePos pos) implements Step {
    }

    /**
     * {@code iptables-restore: TEXT}: rules applied with --noflush.
     *
     * @param text the iptables-restore input
     * @param pos place of the value
     */
    record IptablesRestore(String text, SourcePos pos) implements Step {
    }

    /**
     * {@code nft: TEXT}: {@code nft -f} input.
     *
     * @param text the ruleset text
     * @param pos place of the value
     */
    record Nft(String text, SourcePos pos) implements Step {
    }

    /**
     * {@code sysctl: {KEY: VALUE}}: writes sysctls of the node's namespace.
     *
     * @param values the values written
     * @param pos place of the value
     */
    record SysctlStep(SortedMap<Sysctl, Long> values, SourcePos pos) implements Step {

        /** Copies the map into an unmodifiable sorted map. */
        public SysctlStep {
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        }
    }

    /**
     * {@code linkDown: NAME}: the pod's {@code eth0} goes down ({@code ip link set eth0 down} in its
     * namespace) while the pod and its address stay: what the conntrack oracle does to make a
     * backend "dead". On a veth (network.cni ptp) the node's end loses carrier and flushes its
     * neighbour entries; on a bridge the bridge keeps its carrier.
     *
     * @param pod a pod name {@code <deployment>-<ordinal>}
     * @param pos place of the value
     */
    record LinkDown(String pod, SourcePos pos) implements Step {
    }

    /**
     * {@code deletePod: NAME}: the pod's IP disappears at once, no FIN, no RST.
     *
     * @param pod a pod name {@code <deployment>-<ordinal>}
     * @param pos place of the value
     */
    record DeletePod(String pod, SourcePos pos) implements Step {
    }

    /**
     * {@code vanish: {client, sport}}: the client forgets a connection silently.
     *
     * @param client the client
     * @param sport the connection's source port
     * @param pos place of the value
     */
    record Vanish(String client, int sport, SourcePos pos) implements Step {
    }

    /**
     * {@code conntrack: "ARGS"}: a conntrack command line without the program name.
     *
     * @param args the arguments as written
     * @param pos place of the value
     */
    record Conntrack(String args, SourcePos pos) implements Step {
    }

    /**
     * {@code dump: [KIND, ...]}: snapshots in the real tools' formats.
     *
     * @param kinds the snapshots, in the order written
     * @param pos place of the value
     */
    record Dump(List<DumpKind> kinds, SourcePos pos) implements Step {

        /** Copies the list. */
        public Dump {
            kinds = List.copyOf(kinds);
        }
    }
}
