package io.svclab.k8s.controlplane;

/**
 * A snapshot of one ReplicaSet of a Deployment.
 *
 * @param name {@code <deployment>-<template hash>}
 * @param revision the Deployment revision it belongs to (1, 2, …)
 * @param replicas its desired replicas ({@code spec.replicas}) as the Deployment controller set it
 * @param activePods its pods without a deletion timestamp
 * @param availablePods those of them that are ready
 */
public record ReplicaSetStatus(String name, int revision, int replicas, int activePods, int availablePods) {
}
