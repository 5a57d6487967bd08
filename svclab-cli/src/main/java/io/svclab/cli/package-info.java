/**
 * The {@code svclab} commands (picocli): {@code run} (with {@code --from-dumps DIR}), {@code demo},
 * {@code diagnose} (contract §6, {@link io.svclab.diagnose}), {@code scenarios}, {@code sweep},
 * {@code sweep-merge}, {@code bench}, {@code version}. Exit codes: 0 done, 2 bad usage or input (a located message, no output file
 * written), 1 internal error. Output files are written whole through a temporary sibling; the
 * {@code --pcap} capture streams into that sibling while the run goes, so a run that fails leaves
 * no capture behind either.
 *
 * <p>{@code run} attaches what the options ask for to the world before it runs, through
 * {@code Runner}'s observer: the pcapng writer as the network's packet tap ({@code --pcap}) and
 * {@link io.svclab.cli.Progress} as the simulation's event listener, and the dumps of
 * {@code --from-dumps} seeded into the first node. The progress bar is drawn only
 * when standard error is a terminal: Java cannot test that, so the {@code ./svclab} launcher exports
 * {@code SVCLAB_STDERR_TTY=1|0} from {@code [ -t 2 ]}, and without it (plain {@code java -jar}) a
 * console ({@code System.console() != null}) stands for a terminal. This package and
 * {@code io.svclab.bench} are the only places that read the wall clock (run timing, the progress bar,
 * {@code bench}); the model never does (ArchitectureTest).
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
 * run in a fresh JVM, heap per tracked flow).
 *
 * <p>Limitations: {@code demo} runs its configurations in parallel and shows no progress bar.
 * Validation: {@code RunCommandTest}, {@code DemoTest}, {@code ProgressTest} (the bar against a
 * fake clock), {@code PcapWriterTest} (a capture made through {@code run --pcap}).
 */
package io.svclab.cli;
