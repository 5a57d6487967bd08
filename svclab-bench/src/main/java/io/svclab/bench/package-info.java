/**
 * JMH benchmarks of the hot structures (event queue, timer wheel), run with {@code bench/run-jmh}
 * (for example {@code bench/run-jmh -f 1 -wi 1 -i 2 -r 1s EventQueueBench -prof gc}).
 */
package io.svclab.bench;
