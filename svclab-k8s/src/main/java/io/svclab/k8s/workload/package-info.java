/**
 * Client load: the connections a client pod opens on its own, as a load generator or a service
 * calling another one does.
 *
 * <p>{@link io.svclab.k8s.workload.ClientLoad} describes one client pod's load and
 * {@link io.svclab.k8s.workload.LoadGenerator} drives it on the simulated clock: an open loop of
 * arrivals (Poisson gaps drawn from the named random stream {@code client/<pod>/arrivals}, or
 * constant intervals with a per-pod phase drawn from {@code client/<pod>/phase}), or a closed loop
 * of workers that each open the next connection when the previous one ends. Pattern {@code short}:
 * every arrival is one request on a fresh connection whose local port the kernel chooses
 * ({@code connect()} without {@code bind()}); its {@link io.svclab.net.tcp.ConnectionRecord} goes
 * to the caller's sink when the application is done with it. Pattern {@code pooled}: every
 * arrival is a request that takes an idle keep-alive connection from the pod's pool (LIFO), opens
 * a new one up to {@code maxConnections}, or waits in a FIFO queue (failing with
 * {@code APP_TIMEOUT} after the application timeout); connections close after the idle timeout
 * (see {@link io.svclab.net.tcp.TcpStack#connectKeepAlive}). Every request ends in a
 * {@link io.svclab.k8s.workload.RequestRecord}.
 *
 * <p>Not modelled: retries of failed requests (Go retries an idempotent request that met a
 * connection the server had closed), HTTP/2 multiplexing, {@code MaxIdleConnsPerHost} smaller than
 * the pool (an idle connection beyond it would be closed at once), handing a request to whichever
 * connection becomes ready first.
 *
 * <p>Validation: {@code LoadGeneratorTest} (rates, phases, closed loop, pooled reuse, queueing,
 * queue timeout, idle close).
 */
package io.svclab.k8s.workload;
