/**
 * The {@code svclab} commands (picocli): {@code run}, {@code demo}, {@code scenarios},
 * {@code sweep}, {@code sweep-merge}, {@code bench}, {@code version}. Exit codes: 0 done, 2 bad
 * usage or input (a located message, no output file written), 1 internal error. Output files are
 * written whole through a temporary sibling.
 *
 * <p>{@code sweep} (contract §1) loads and checks every combination of the {@code --vary} values
 * before the first run, then runs them on a fixed thread pool, one {@link io.svclab.run.Runner}
 * and one simulation per combination: the model keeps no mutable static state (its statics are
 * constant tables), so runs share nothing and a row does not depend on the thread count or on
 * which run finished first. Rows are kept in combination order (first {@code --vary} key
 * slowest, seeds innermost); {@code --shard I/N} keeps the combinations whose index modulo N is
 * I-1 and {@code sweep-merge} joins shard outputs back into the whole table. Only
 * {@code wallSeconds} differs between two sweeps of the same inputs.
 *
 * <p>{@code bench} measures the end-to-end figures of the performance targets (load run, default
 * run in a fresh JVM, heap per tracked flow); this package and {@code io.svclab.bench} are the
 * only places that read the wall clock, the model never does.
 */
package io.svclab.cli;
