package io.svclab.k8s.controlplane;

/**
 * A snapshot of one pod as the control plane knows it.
 *
 * @param name {@code <deployment>-<ordinal>}
 * @param deployment the owning Deployment
 * @param replicaSet the owning ReplicaSet ({@code <deployment>-<template hash>})
 * @param ordinal the pod's ordinal
 * @param ip its address
 * @param createdNs when it was created
 * @param listening the application listens
 * @param ready the readiness probe passes (the EndpointSlice's {@code serving})
 * @param terminating it has a deletion timestamp
 * @param exited the application process is gone
 */
public record PodStatus(String name, String deployment, String replicaSet, int ordinal, int ip, long createdNs,
        boolean listening, boolean ready, boolean terminating, boolean exited) {
}
