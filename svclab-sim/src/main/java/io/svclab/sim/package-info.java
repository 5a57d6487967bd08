/**
 * The discrete-event kernel.
 *
 * <h2>Model</h2>
 * A simulated clock in nanoseconds ({@code long}); an {@code EventQueue} (binary heap over
 * primitive arrays) ordered totally by (time, priority, sequence number handed out per run); a
 * hierarchical {@code TimerWheel} (5 levels × 256 buckets, level-0 tick 2^24 ns) that holds
 * far-away {@link io.svclab.sim.Timer}s and moves them into the queue at their exact deadline
 * before any later event runs; {@link io.svclab.sim.RngStreams}: one seed per run handed out as
 * named {@code SplittableRandom} streams whose seeds depend only on (run seed, name).
 *
 * <h2>Scope and limitations</h2>
 * Single-threaded per run. A timer takes its place among equal-time events when it is armed.
 * The kernel's timer slack (jiffies, the coarse timer wheel that made a 6.18 kernel retransmit a
 * SYN at 69.5 s instead of 67 s) is not modelled here: models that need it add it explicitly.
 * Deadlines within 2^24 ns of {@code Long.MAX_VALUE} (292 years) are not supported.
 *
 * <h2>Validation</h2>
 * {@code EventQueueTest} (randomised against {@code java.util.PriorityQueue}),
 * {@code TimerWheelModelTest} (random arm/re-arm/cancel against a reference model, deadlines on
 * tick and level boundaries), {@code DeterminismTest}; JMH: {@code bench/run-jmh}.
 */
package io.svclab.sim;
