/**
 * Client load: the connections a client pod opens on its own, as a load generator or a service
 * calling another one does.
 *
 * <p>{@link io.svclab.k8s.workload.ClientLoad} describes one client pod's load and
 * {@link io.svclab.k8s.workload.LoadGenerator} drives it on the simulated clock: an open loop of
 * arrivals (Poisson gaps drawn from the named random stream {@code client/<pod>/arrivals}, or
 * constant intervals with a per-pod phase drawn from {@code client/<pod>/phase}), or a closed loop
 * of workers that each open the next connection when the previous one ends. Every connection is
 * one request on a fresh connection whose local port the kernel chooses ({@code connect()}
 * without {@code bind()}); its {@link io.svclab.net.tcp.ConnectionRecord} goes to the caller's
 * sink when the application is done with it.
 *
 * <p>Not modelled: keep-alive pools (pattern {@code pooled}) — the TCP model runs one
 * request/response exchange per connection, so a pooled load is refused at construction.
 */
package io.svclab.k8s.workload;
