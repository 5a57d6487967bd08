package io.svclab.k8s;

import io.svclab.net.NetNamespace;

/**
 * A pod: its name ({@code <deployment>-<ordinal>}), owner, node, address and network namespace,
 * Immutable; its life (creation, readiness, termination) is the control plane's
 * ({@code io.svclab.k8s.controlplane}).
 */
public final class Pod {

    private final String name;
    private final String owner;
    private final boolean client;
    private final int node;
    private final int ip;
    private final NetNamespace ns;

    public Pod(String name, String owner, boolean client, int node, int ip, NetNamespace ns) {
        this.name = name;
        this.owner = owner;
        this.client = client;
        this.node = node;
        this.ip = ip;
        this.ns = ns;
    }

    public String name() {
        return name;
    }

    /** The deployment or client group it belongs to. */
    public String owner() {
        return owner;
    }

    /** Whether it is a client pod (not an endpoint of any Service). */
    public boolean client() {
        return client;
    }

    /** The node index (1-based). */
    public int node() {
        return node;
    }

    public int ip() {
        return ip;
    }

    public NetNamespace ns() {
        return ns;
    }


    @Override
    public String toString() {
        return name;
    }
}
