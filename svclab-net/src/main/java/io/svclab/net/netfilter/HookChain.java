package io.svclab.net.netfilter;

import io.svclab.net.NetNamespace;
import io.svclab.net.Packet;
import io.svclab.net.trace.HookTraced;
import io.svclab.net.trace.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The functions registered at one hook of one namespace, in the kernel's order: ascending
 * priority, equal priorities in registration order ({@code nf_hook_entries_grow}). Like a Netty
 * pipeline: named entries, duplicate names refused. Running the chain walks a plain array and
 * allocates nothing unless tracing is on.
 */
public final class HookChain {

    private static final HookEntry[] EMPTY = new HookEntry[0];

    private final Hook hook;
    private HookEntry[] entries = EMPTY;

    public HookChain(Hook hook) {
        this.hook = hook;
    }

    public Hook hook() {
        return hook;
    }

    /**
     * Registers a function. Among equal priorities it runs after those registered before it.
     *
     * @throws IllegalArgumentException when the name is already registered at this hook
     */
    public void register(HookEntry e) {
        for (HookEntry x : entries) {
            if (x.name().equals(e.name())) {
                throw new IllegalArgumentException("hook function " + e.name() + " already registered at " + hook);
            }
        }
        int pos = entries.length;
        while (pos > 0 && entries[pos - 1].priority() > e.priority()) {
            pos--;
        }
        HookEntry[] n = new HookEntry[entries.length + 1];
        System.arraycopy(entries, 0, n, 0, pos);
        n[pos] = e;
        System.arraycopy(entries, pos, n, pos + 1, entries.length - pos);
        entries = n;
    }

    /** Removes a function by name; returns whether it was there. */
    public boolean unregister(String name) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].name().equals(name)) {
                HookEntry[] n = new HookEntry[entries.length - 1];
                System.arraycopy(entries, 0, n, 0, i);
                System.arraycopy(entries, i + 1, n, i, entries.length - i - 1);
                entries = n;
                return true;
            }
        }
        return false;
    }

    /** The registered entries in execution order. */
    public List<HookEntry> entries() {
        return List.copyOf(Arrays.asList(entries));
    }

    /** Names in execution order, e.g. for {@code svclab --trace} headers and tests. */
    public List<String> names() {
        List<String> out = new ArrayList<>(entries.length);
        for (HookEntry e : entries) {
            out.add(e.name());
        }
        return out;
    }

    /**
     * Runs the packet through the chain ({@code nf_hook_slow}): stops at the first verdict that is
     * not {@link Verdict#ACCEPT}.
     */
    public Verdict run(Packet p, NetNamespace ns) {
        HookEntry[] es = entries;
        Trace trace = ns.trace();
        for (HookEntry e : es) {
            Verdict v = e.fn().apply(p, ns, hook);
            if (trace.enabled() && trace.packets()) {
                trace.emit(new HookTraced(ns.now(), ns.name(), hook, e.name(), e.priority(), v, p.flowId, p.describe()));
            }
            if (v != Verdict.ACCEPT) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }
}
