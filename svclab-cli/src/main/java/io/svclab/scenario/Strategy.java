package io.svclab.scenario;

/**
 * The rolling-update strategy of a deployment.
 *
 * @param maxSurge extra pods allowed during a rollout, default 25%
 * @param maxUnavailable pods that may be unavailable during a rollout, default 25%
 */
public record Strategy(IntOrPercent maxSurge, IntOrPercent maxUnavailable) {
}
