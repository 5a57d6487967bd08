package io.svclab.k8s.controlplane;

import io.svclab.k8s.Pod;

/**
 * The datapath side of a pod's life, implemented by the world (kubelet, container runtime, CNI).
 * The {@link ControlPlane} calls it on the simulated clock, at priority
 * {@link io.svclab.sim.Priority#CONTROL}, in this order for each pod:
 * {@code create} → ({@code startServing}) → ({@code processExit}) → {@code destroy}. The calls in
 * parentheses may be missing: a pod deleted before it listens gets no {@code startServing}; a pod
 * removed at once ({@link ControlPlane#vanishPod(String)}) gets no {@code processExit}.
 */
public interface PodRuntime {

    /**
     * Creates the pod sandbox: its network namespace with its address, attached to its node. The
     * application does not listen yet.
     *
     * @param podName {@code <deployment>-<ordinal>}
     * @param deployment the owning Deployment
     * @param fixedIpOrZero the address from {@link DeploymentSpec#podIPs()}, or 0 to allocate one
     * @return the pod, whose {@link Pod#ip()} the EndpointSlice will carry
     */
    Pod create(String podName, String deployment, int fixedIpOrZero);

    /** The application has started and listens on its port: new SYNs are accepted from now on. */
    void startServing(Pod pod);

    /**
     * The application process is gone (it exited on SIGTERM, or was SIGKILLed): its listener
     * closes, so new SYNs get RST, and the kernel closes its open connections as at any process
     * exit (FIN, or RST where unread data remains). The namespace and address remain until
     * {@link #destroy(Pod)}.
     */
    void processExit(Pod pod);

    /**
     * Tears down the pod sandbox: the network namespace goes away and the address vanishes; from
     * now on nothing answers for it (no FIN, no RST).
     */
    void destroy(Pod pod);
}
