package io.gaussmix.cli;

import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.em.FitFailedException;
import io.gaussmix.io.DataFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns every failure into one line on stderr, {@code gaussmix: error: <message>}: usage errors exit
 * with 2, everything else with 1. Expected failures (bad input files, impossible settings, a fit that
 * cannot continue, a backend that cannot run, I/O errors) print their message only; anything else is
 * reported as an internal error with a hint to rerun with {@code --debug}, which prints the trace.
 */
final class ErrorHandler implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    /** Exit code of a failure that is not a usage error. */
    static final int FAILURE = 1;
    /** Exit code of a usage error. */
    static final int USAGE = 2;

    private final boolean debug;

    ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(prefix() + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof CommandLine.ParameterException) {
            return handleParseException((CommandLine.ParameterException) ex, new String[0]);
        }
        if (isExpected(ex)) {
            err.println(prefix() + oneLine(CliTerms.of(message(ex))));
        } else {
            err.println(prefix() + "internal error: " + oneLine(ex.toString())
                    + " (run again with --debug for the stack trace)");
        }
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /** Whether {@code ex} is a failure the user can act on from its message alone. */
    static boolean isExpected(Throwable ex) {
        return ex instanceof CliException || ex instanceof DataFileException || ex instanceof IllegalArgumentException
                || ex instanceof FitFailedException || ex instanceof BackendUnavailableException
                || ex instanceof DeviceException || ex instanceof IOException || ex instanceof UncheckedIOException;
    }

    private static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return message(ex.getCause());
        }
        if (ex instanceof IOException) {
            return "I/O error: " + ex;
        }
        return ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }

    private static String prefix() {
        return "gaussmix: error: ";
    }

    /** Collapses line breaks so that a message is one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
