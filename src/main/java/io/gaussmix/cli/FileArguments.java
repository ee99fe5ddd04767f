package io.gaussmix.cli;

import io.gaussmix.io.AtomicFiles;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a command reads and writes, checked before any work: no output may be one of the inputs
 * (compared as files, through links and hard links, not as strings) or another output, and every output
 * location must be writable (its directory exists; the target is not a directory or read-only). Devices
 * and FIFOs ({@code /dev/null}, {@code /dev/stdout}) are exempt from the same-file rule: writing them
 * destroys nothing.
 */
final class FileArguments {
    private record Named(String what, Path path) {
    }

    private final CommandLine cl;
    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    FileArguments(CommandLine cl) {
        this.cl = cl;
    }

    /** An input file, e.g. {@code ("INPUT", data.csv)}; null is ignored. */
    FileArguments input(String what, Path file) {
        if (file != null) {
            inputs.add(new Named(what, file));
        }
        return this;
    }

    /** An output file and the option that names it, e.g. {@code ("-o", model.json)}; null is ignored. */
    FileArguments output(String option, Path file) {
        if (file != null) {
            outputs.add(new Named(option, file));
        }
        return this;
    }

    /**
     * @throws CommandLine.ParameterException when an output is an input or another output (a usage error)
     * @throws CliException                   when an output location cannot be written
     */
    void check() {
        List<Path> seen = new ArrayList<>();
        for (Named out : outputs) {
            Path dest = destination(out);
            boolean special = Files.exists(dest) && !Files.isRegularFile(dest);
            Path key = special ? null : comparable(dest);
            for (Named in : special ? List.<Named>of() : inputs) {
                if (sameFile(dest, in.path)) {
                    throw new CommandLine.ParameterException(cl, out.what + " " + out.path + " is the same file as "
                            + in.what + " " + in.path + ": choose another output path (nothing was written)");
                }
            }
            int earlier = key == null ? -1 : seen.indexOf(key);
            if (earlier >= 0) {
                Named first = outputs.get(earlier);
                throw new CommandLine.ParameterException(cl, out.what + " " + out.path + " and " + first.what + " "
                        + first.path + " are the same file: give each output its own path");
            }
            seen.add(key);
            try {
                AtomicFiles.requireWritable(out.path);
            } catch (IOException e) {
                throw Inputs.cannotWrite(out.what + " " + out.path, e);
            }
        }
    }

    private static Path destination(Named out) {
        try {
            return AtomicFiles.destination(out.path);
        } catch (IOException e) {
            throw Inputs.cannotWrite(out.what + " " + out.path, e);
        }
    }

    /** Same file by file key (device and inode), through symbolic and hard links. */
    private static boolean sameFile(Path dest, Path input) {
        try {
            return Files.exists(dest) && Files.exists(input) && Files.isSameFile(dest, input);
        } catch (IOException e) {
            return false;
        }
    }

    /** A path two outputs can be compared by before either exists: the real directory plus the name. */
    private static Path comparable(Path dest) {
        try {
            return dest.getParent() == null ? dest : dest.getParent().toRealPath().resolve(dest.getFileName());
        } catch (IOException e) {
            return dest;
        }
    }
}
