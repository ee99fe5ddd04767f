package io.gaussmix.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Converts a CSV file of any size into a {@code .npy} file ({@code <f8}, or {@code <f4} when narrowed)
 * with constant memory: the rows are parsed one at a time by {@link CsvParser} (the rules and located
 * errors of {@link CsvReader}; missing values are errors) and written through a buffer.
 *
 * <p>The row count is known only at the end, so the header is written last into room reserved for
 * the largest count (one pass over the CSV, not a counting pass first: parsing is what costs, and a
 * second pass would double it). Write failures travel through the parser as {@link UncheckedIOException}
 * so that they are not mistaken for read failures of the CSV. The file is written atomically ({@link AtomicFiles#writeChannel}): a
 * bad cell anywhere leaves an existing target unchanged and no partial file.
 */
public final class CsvToNpy {
    private static final int BUFFER_BYTES = 1 << 20;

    /** What was converted: rows, values per row, and the header's column names (empty without a header). */
    public record Result(long rows, int cols, List<String> header) {
    }

    private CsvToNpy() {
    }

    /**
     * Converts {@code csv} into {@code npy}. With {@code float32} every value is narrowed to float32 and
     * must stay finite (a value beyond ±3.4e38 is an error naming its line and column).
     *
     * @throws DataFileException when the CSV cannot be read or holds a bad cell (nothing is written)
     * @throws IOException       when {@code npy} cannot be written (an existing one is then unchanged)
     */
    public static Result convert(Path csv, Path npy, boolean float32) throws IOException {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(npy, "npy");
        FileErrors.requireNotDirectory(csv);
        Result[] result = new Result[1];
        try {
            AtomicFiles.writeChannel(npy, channel -> result[0] = convert(csv, channel, float32));
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a write failure, carried through the parser
        }
        return result[0];
    }

    private static Result convert(Path csv, FileChannel channel, boolean float32) {
        String descr = float32 ? "<f4" : "<f8";
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(csv), StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
            CsvParser parser = new CsvParser(csv.toString(), MissingValues.REJECT, Files.size(csv));
            NpyOutput out = new NpyOutput(channel, csv.toString(), parser, descr);
            CsvParser.Streamed seen = parser.stream(in, out::row);
            out.finish(NpyWriter.header(descr, seen.rows(), seen.cols(), out.reserved));
            return new Result(seen.rows(), seen.cols(), seen.header());
        } catch (IOException e) {
            throw FileErrors.readFailure(csv, e);
        }
    }

    /** The data part of the output: values buffered little-endian after the reserved header room. */
    private static final class NpyOutput {
        private final FileChannel channel;
        private final String csv;
        private final CsvParser parser;
        private final String descr;
        private final boolean float32;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private int reserved = -1;

        NpyOutput(FileChannel channel, String csv, CsvParser parser, String descr) {
            this.channel = channel;
            this.csv = csv;
            this.parser = parser;
            this.descr = descr;
            this.float32 = descr.equals("<f4");
        }

        void row(double[] values, long lineNo) {
            if (reserved < 0) {
                reserved = NpyWriter.header(descr, Long.MAX_VALUE, values.length, 0).length;
                position(reserved);
            }
            int itemSize = float32 ? Float.BYTES : Double.BYTES;
            for (int c = 0; c < values.length; c++) {
                if (buffer.remaining() < itemSize) {
                    flush();
                }
                if (float32) {
                    float f = (float) values[c];
                    if (Float.isInfinite(f)) {
                        throw new DataFileException(csv + ": " + parser.where(lineNo, c) + ": " + values[c]
                                + " does not fit float32 (largest " + Float.MAX_VALUE + "): convert without --float32");
                    }
                    buffer.putFloat(f);
                } else {
                    buffer.putDouble(values[c]);
                }
            }
        }

        /** Writes the buffered values and then the real header into the reserved room. */
        void finish(byte[] header) {
            flush();
            if (header.length != reserved) {
                throw new IllegalStateException("header of " + header.length + " bytes for " + reserved + " reserved");
            }
            ByteBuffer b = ByteBuffer.wrap(header);
            try {
                for (long p = 0; b.hasRemaining(); ) {
                    p += channel.write(b, p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void flush() {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            buffer.clear();
        }

        private void position(long pos) {
            try {
                channel.position(pos);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
