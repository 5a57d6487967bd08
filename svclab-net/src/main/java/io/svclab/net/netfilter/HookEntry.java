package io.svclab.net.netfilter;

/**
 * A registered hook function: its name (as traces print it), its priority and the function.
 *
 * @param name unique within the hook, e.g. {@code conntrack_in}, {@code nat_dst}, {@code ipvs_in}
 * @param priority order within the hook, see {@link NfPriority}
 * @param fn the function
 */
public record HookEntry(String name, int priority, HookFn fn) {

    public HookEntry {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("hook function needs a name");
        }
        if (fn == null) {
            throw new IllegalArgumentException("hook function " + name + " is null");
        }
    }
}
