/**
 * The scenario file (contract §2): YAML composed with SnakeYAML Engine into a node tree that
 * keeps line and column marks, {@code --set} overrides applied to that tree, then mapped field by
 * field into immutable records by one schema (field names, shapes, defaults) that also drives the
 * "known fields" lists and {@code --set} paths. Every problem is collected and reported as
 * {@code FILE:LINE:COL: FIELD: MESSAGE}; nothing but {@link io.svclab.scenario.ScenarioException}
 * escapes for any input ({@code FuzzTest}).
 *
 * <p>Additions to the contract's schema: {@code deployments[].pod.keepAliveTimeout} (default 0s:
 * the server never closes an idle keep-alive connection, as Go's {@code http.Server} by default;
 * nginx's is 75s), {@code onClientClose}, {@code proxy.watchDelay}, {@code network.cni}. For
 * {@code pattern: pooled}, {@code poolSize} is the most connections a client pod holds open and
 * {@code idleTimeout} closes idle ones (default 90s, Go's {@code http.Transport}).
 */
package io.svclab.scenario;
