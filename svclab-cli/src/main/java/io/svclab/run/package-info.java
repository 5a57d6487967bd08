/**
 * Building the world of a scenario (nodes, pods, sysctls) and running it: scripted steps in
 * order on the simulated clock, then the simulation to the scenario's end. Steps and events whose
 * models are not in this build are refused with a located error, never skipped; client load that
 * cannot be generated yet is listed in the result's {@code notModelled}.
 */
package io.svclab.run;
