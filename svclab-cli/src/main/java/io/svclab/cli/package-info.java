/**
 * The {@code svclab} commands (picocli): {@code run} (with {@code --from-dumps DIR}), {@code demo},
 * {@code diagnose} (contract §6, {@link io.svclab.diagnose}), {@code scenarios}, {@code version}. Exit codes: 0 done, 2 bad usage or input (a located message, no output file
 * written), 1 internal error. Output files are written whole through a temporary sibling.
 */
package io.svclab.cli;
