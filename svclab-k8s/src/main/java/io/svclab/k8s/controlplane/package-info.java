/**
 * The control plane and kubelet for Deployments: rolling updates, pod lifecycle and termination,
 * and EndpointSlice publication, on the simulated clock.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li><b>Deployments and ReplicaSets.</b> {@link io.svclab.k8s.controlplane.ControlPlane} keeps
 *       per Deployment a list of ReplicaSets, one per revision, named
 *       {@code <deployment>-<template hash>}; {@code rolloutRestart} adds a revision as
 *       {@code kubectl rollout restart} does (its {@code restartedAt} annotation changes the
 *       template hash). The Deployment controller's {@code rolloutRolling} is followed step by
 *       step: {@code reconcileNewReplicaSet} (scale the newest ReplicaSet up to at most
 *       {@code replicas + maxSurge} pods in all ReplicaSets' {@code spec.replicas}, or down to
 *       {@code replicas}), else {@code reconcileOldReplicaSets} ({@code cleanupUnhealthyReplicas}
 *       first, then {@code scaleDownOldReplicaSetsForRollingUpdate} keeping
 *       {@code replicas − maxUnavailable} available, oldest ReplicaSet first).
 *       {@code maxSurge} percentages round up, {@code maxUnavailable} ones down; when both
 *       resolve to 0, maxUnavailable is 1 ({@code ResolveFenceposts}). The API server rejects
 *       explicit 0/0; this model accepts it and applies the same fencepost rule.</li>
 *   <li><b>ReplicaSet controller.</b> {@code manageReplicas} creates the missing pods at once
 *       (in ordinal order) or deletes the surplus, ranked: not ready before ready, of two ready
 *       pods the one ready more recently, then the newer one, then the higher ordinal.
 *       Terminating pods are not active: they count neither as replicas nor as available.</li>
 *   <li><b>Fixed point.</b> Every change (API call, readiness, process exit, teardown) reconciles
 *       all controllers until nothing changes, within the same instant, at
 *       {@link io.svclab.sim.Priority#CONTROL}: the real controllers' reaction latency (work
 *       queues, informers, milliseconds) is taken as 0.</li>
 *   <li><b>Pod names and addresses.</b> {@code <deployment>-<ordinal>}, ordinals increasing
 *       forever per Deployment (a replacement takes the next ordinal); pod {@code i} gets
 *       {@code podIPs[i]} if there is one, else the runtime allocates one.</li>
 *   <li><b>Pod lifecycle</b> (kubelet): created → {@code startup} → listening
 *       ({@link io.svclab.k8s.controlplane.PodRuntime#startServing}) → {@code readinessDelay} →
 *       ready. Zero durations take effect within the creating instant.</li>
 *   <li><b>Termination</b> at deletion time T: the endpoint turns {@code ready=false,
 *       serving=<readiness>, terminating=true} at T; preStop runs for
 *       {@code min(preStop, grace)}; then SIGTERM: {@code EXIT} ends the process
 *       ({@link io.svclab.k8s.controlplane.PodRuntime#processExit}, {@code serving=false} from
 *       then on), {@code DRAIN} keeps serving; SIGKILL at SIGTERM +
 *       {@code max(grace − preStopRun, 2 s)} (kubelet {@code killContainer}'s
 *       {@code minimumGracePeriodInSeconds}), i.e. at T + grace unless preStop leaves less than
 *       2 s; the sandbox is destroyed right after the process is gone, at the same instant
 *       ({@link io.svclab.k8s.controlplane.PodRuntime#destroy}), and the endpoint leaves the
 *       slice. A pod deleted before it listens never listens if it exits on SIGTERM; with
 *       {@code DRAIN} its start-up and readiness continue until SIGKILL (probes keep running
 *       during termination). {@code deletePod} starts this sequence for one pod (its ReplicaSet
 *       replaces it at once); {@code vanishPod} removes a pod at once (destroy only).</li>
 *   <li><b>EndpointSlice controller.</b> One slice per Service listing every existing pod of the
 *       Deployments that back it, in Deployment order then creation order, with
 *       {@code ready = readiness ∧ ¬terminating}, {@code serving = readiness},
 *       {@code terminating = deletion timestamp set}. After each change the slice of every Service
 *       whose endpoints differ gets a new generation (several pod changes within one reconcile
 *       give one generation; changes in separate events at the same instant give one each).
 *       Each subscriber receives the current slices at once when it subscribes (its initial
 *       list), then every later generation its own watch delay after publication, in order.</li>
 * </ul>
 *
 * <h2>Scope and limitations</h2>
 * Not modelled: proportional scaling of several active ReplicaSets on a scale event during a
 * rollout ({@code dc.sync}/{@code scale}; here a scale only changes the desired count and the
 * rolling-update rules converge to it); {@code minReadySeconds} (available = ready);
 * {@code progressDeadlineSeconds}, {@code revisionHistoryLimit} (old ReplicaSets stay at 0
 * replicas), rollback, template changes other than a restart, the Recreate strategy;
 * the ReplicaSet controller's slow-start batches and expectations; its node co-location rank,
 * logarithmic ready-time buckets and restart-count rank; the pod-replacement policy of newer
 * releases (a terminating pod never blocks its replacement here); readiness failures and
 * liveness restarts; crashes; init containers; image pulls (startup covers them); the 2 s extra
 * grace is the kubelet minimum, never more; the API server's own latency and the EndpointSlice
 * controller's batching ({@code endpointUpdatesBatchPeriod}); several slices per Service
 * (more than 100 endpoints); topology hints; Services with selectors other than one or more
 * whole Deployments. The template hash uses Kubernetes' safe encoding over an FNV-1a hash of a
 * text form of the template: stable, but not the real value.
 *
 * <h2>References</h2>
 * <ul>
 *   <li>kubernetes.io: "Deployments" (rolling update, maxSurge, maxUnavailable), "Pod Lifecycle
 *       — Termination of Pods", "Container Lifecycle Hooks", "EndpointSlices" (conditions).</li>
 *   <li>kubernetes/kubernetes: {@code pkg/controller/deployment/rolling.go}
 *       ({@code rolloutRolling}, {@code reconcileNewReplicaSet}, {@code reconcileOldReplicaSets},
 *       {@code cleanupUnhealthyReplicas}, {@code scaleDownOldReplicaSetsForRollingUpdate}),
 *       {@code pkg/controller/deployment/util/deployment_util.go} ({@code NewRSNewReplicas},
 *       {@code MaxUnavailable}, {@code ResolveFenceposts}), {@code pkg/controller/replicaset/
 *       replica_set.go} ({@code manageReplicas}, {@code getPodsToDelete}),
 *       {@code pkg/controller/controller_utils.go} ({@code ActivePodsWithRanks}),
 *       {@code pkg/kubelet/kuberuntime/kuberuntime_container.go} ({@code killContainer},
 *       {@code executePreStopHook}, {@code minimumGracePeriodInSeconds}),
 *       {@code pkg/controller/endpointslice} and KEP-1672 (terminating condition).</li>
 *   <li>spec ipvs-kube-proxy.md §5.5, §6.1, §6.2; cli-contract.md §2.</li>
 * </ul>
 *
 * <h2>Validation</h2>
 * {@code ControlPlaneTest} pins the exact order and instants of pod creations and deletions for
 * replicas 3 with maxSurge/maxUnavailable 1/0, 25%/25% (which resolves to 1/0) and 0/1, and 2/1
 * for replicas 4, worked by hand from the controller sources above; the termination timelines
 * (preStop 5 s, grace 30 s, EXIT and DRAIN; preStop beyond the grace period); the slice
 * conditions at each step; watch delays; scaling; determinism. {@code DeploymentSpecTest} pins
 * the rounding of the fenceposts against the examples of the Deployment documentation.
 *
 * <p>Every pod lifecycle step is also emitted to the trace when it is enabled
 * ({@code io.svclab.net.trace.PodChanged}: name, address, step, an operator's sentence), so that
 * explanations can join a connection's decisions to the pod behind its backend address.
 */
package io.svclab.k8s.controlplane;
