package io.svclab.net.netfilter;

/** What a hook function decides for a packet ({@code NF_ACCEPT}, {@code NF_DROP}, {@code NF_STOLEN}). */
public enum Verdict {
    /** Continue with the next hook function, then the rest of the stack. */
    ACCEPT,
    /** Free the packet; nothing further happens to it (the sender sees silence). */
    DROP,
    /** The hook function took the packet over (IPVS re-sends it itself); the stack stops here. */
    STOLEN
}
