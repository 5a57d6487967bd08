package io.svclab.scenario;

/**
 * The kube-proxy of the scenario: scenario key {@code proxy}.
 *
 * @param mode {@code proxy.mode}, default {@code iptables}
 * @param version kube-proxy version {@code MAJOR.MINOR}, default {@code 1.33}
 * @param scheduler IPVS scheduler, default {@code rr}
 * @param syncPeriodNs full resync period, default 30 s
 * @param minSyncPeriodNs minimum time between syncs; -1 when kube-proxy's default for the mode applies
 * @param watchDelayNs how long an EndpointSlice change takes to reach each node's kube-proxy
 *     (API server, watch, informer), default 100 ms — an extension of the contract
 */
public record Proxy(ProxyMode mode, String version, IpvsScheduler scheduler, long syncPeriodNs, long minSyncPeriodNs,
        long watchDelayNs) {
}
