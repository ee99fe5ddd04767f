/**
 * The {@code gaussmix} command line (picocli): {@link io.gaussmix.cli.Main} with the subcommands
 * fit, score, predict, sample, select, impute, kl, convert, devices and bench. Progress goes to stderr, results to stdout or
 * files; every error is one line {@code gaussmix: error: <message>} on stderr with exit code 2 for
 * usage errors and 1 otherwise.
 */
package io.gaussmix.cli;
