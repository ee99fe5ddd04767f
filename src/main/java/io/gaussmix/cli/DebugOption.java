package io.gaussmix.cli;

import picocli.CommandLine.Option;

/** The hidden {@code --debug} flag, accepted by every command: errors then include the stack trace. */
public final class DebugOption {
    /** Whether {@code --debug} was given (the error handler reads it from the raw arguments). */
    @Option(names = "--debug", hidden = true, description = "Print stack traces of errors.")
    boolean debug;
}
