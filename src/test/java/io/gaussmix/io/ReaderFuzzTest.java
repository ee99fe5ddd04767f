package io.gaussmix.io;

import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded, bounded fuzzing of the three readers (issue #11): a few thousand mutations of valid CSV,
 * {@code .npy} and model JSON files each (byte and bit flips, truncations, insertions of bytes and of
 * tokens that have broken readers before, duplicated and deleted lines, huge numbers, random
 * headers). Every outcome must be either a result that holds what the reader promises, or a
 * one-line {@link DataFileException} naming the file; any other exception fails the test, printing
 * the seed, the iteration and the input.
 */
class ReaderFuzzTest {
    private static final int CASES = 3000;
    private static final String[] TOKENS = {"1e308", "-1e308", "1e999", "NaN", "nan", "NA", "?", "inf", "-Infinity", "0x1p3",
        "1_000", "1d", ",", ",,", ";", "\t", "\n", "\r", "\r\n", "\"", "'", "\u0000", "\u0007", "\u00A0", "\uFEFF", "{", "}",
        "[", "]", ":", "-", "+", ".", "e", "E", "1e-400", "4.9e-324", "9".repeat(400), "null", "true", "\"x\"", "é", "\uD800"};

    @TempDir
    Path dir;

    @Test
    void csvReaderFailsOnlyWithItsOwnErrors() throws IOException {
        List<byte[]> seeds = List.of(
                utf8("x,y,z\n1,2,3\n4.5,-6e-3,7\n8,9,10\n"),
                utf8("1.5\n2\n\n3\n"),
                utf8("\uFEFF\"a\" , b\r\n1,NA\r\n,2\r\n?,nan\r\n"),
                utf8("0.1,0.2\n0.3,0.4\n0.5,0.6\n0.7,0.8\n0.9,1.0\n"));
        fuzz("csv", seeds, 11, p -> {
            for (MissingValues mode : MissingValues.values()) {
                CsvData d;
                try {
                    d = CsvReader.readWithHeader(p, mode);
                } catch (DataFileException e) {
                    return e;
                }
                checkValues(d.matrix(), mode);
                assertTrue(d.header().isEmpty() || d.header().size() == d.matrix().cols());
            }
            return null;
        });
    }

    @Test
    void npyReaderFailsOnlyWithItsOwnErrors() throws IOException {
        Path tmp = dir.resolve("seed.npy");
        NpyWriter.write(tmp, Matrix.wrap(new double[] {1, -2.5, 3e10, 4e-10, 0, -0.0}, 3, 2));
        byte[] written = Files.readAllBytes(tmp);
        List<byte[]> seeds = List.of(written,
                npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[16]),
                npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", new byte[24]),
                npy(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]));
        fuzz("npy", seeds, 12, p -> {
            for (MissingValues mode : MissingValues.values()) {
                Matrix m;
                try {
                    m = NpyReader.read(p, mode);
                } catch (DataFileException e) {
                    return e;
                }
                checkValues(m, mode);
            }
            return null;
        });
    }

    @Test
    void modelJsonReaderFailsOnlyWithItsOwnErrors() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        double[][] means = {{0.5, -1}, {3, 2e5}};
        double[][] covariances = {{2, 0.3, 0.3, 1, 0.7, -0.1, -0.1, 0.9}, {1.1, 0.2, 0.2, 0.6}, {0.1, 0.2, 3, 4}, {0.5, 7}};
        for (CovarianceType t : CovarianceType.values()) {
            Path p = dir.resolve("seed-" + t.id() + ".json");
            ModelJson.write(p, GaussianMixtureModel.of(t, new double[] {0.25, 0.75}, means, covariances[t.ordinal()],
                    FitSummary.notFitted()));
            seeds.add(Files.readAllBytes(p));
        }
        fuzz("json", seeds, 13, p -> {
            GaussianMixtureModel m;
            try {
                m = ModelJson.read(p, note -> assertTrue(note.startsWith(p.toString()) && !note.contains("\n"), note));
            } catch (DataFileException e) {
                return e;
            }
            double sum = 0;
            for (double w : m.weights()) {
                assertTrue(w >= 0 && Double.isFinite(w), Arrays.toString(m.weights()));
                sum += w;
            }
            assertEquals(1, sum, 1e-12);
            for (double v : m.covariances()) {
                assertTrue(Double.isFinite(v));
            }
            for (int c = 0; c < m.components(); c++) {
                double[][] cov = m.covariance(c);
                for (int i = 0; i < cov.length; i++) {
                    for (int j = 0; j < i; j++) {
                        assertEquals(cov[i][j], cov[j][i], 1e-10 * Math.sqrt(cov[i][i] * cov[j][j]), "symmetric");
                    }
                }
            }
            return null;
        });
    }

    /** A successful read holds finite values, or NaN where missing values are allowed. */
    private static void checkValues(Matrix m, MissingValues mode) {
        assertTrue(m.rows() > 0 && m.cols() > 0);
        assertEquals((long) m.rows() * m.cols(), m.data().length);
        for (double v : m.data()) {
            assertFalse(Double.isInfinite(v), "an infinity was read");
            assertFalse(mode == MissingValues.REJECT && Double.isNaN(v), "NaN read while rejecting missing values");
        }
    }

    /**
     * Runs {@link #CASES} mutations of the seeds through {@code read}, which returns the reader's own
     * error (or null for a success, after checking the result itself).
     */
    private void fuzz(String ext, List<byte[]> seeds, long seed, Function<Path, DataFileException> read) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path p = dir.resolve("fuzz." + ext);
        int errors = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Files.write(p, input);
            try {
                DataFileException e = read.apply(p);
                if (e != null) {
                    errors++;
                    String m = e.getMessage();
                    assertTrue(m != null && m.contains(p.toString()) && !m.contains("\n") && !m.contains("\r"),
                            "not a one-line message naming the file: " + m);
                }
            } catch (AssertionError | RuntimeException e) {
                fail("seed " + seed + ", case " + i + ": " + e + "\ninput: " + HexFormat.of().formatHex(input, 0,
                        Math.min(input.length, 400)), e);
            } catch (OutOfMemoryError e) {
                fail("seed " + seed + ", case " + i + ": out of memory on an input of " + input.length + " bytes", e);
            }
        }
        assertTrue(errors > CASES / 10 && errors < CASES, "the mutations should reach both outcomes, got " + errors
                + " errors in " + CASES);
    }

    /** One to three mutations of a copy of {@code seed}. */
    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        int times = 1 + rnd.nextInt(3);
        for (int t = 0; t < times; t++) {
            int at = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            switch (rnd.nextInt(8)) {
                case 0: // random byte
                    if (at < b.length) {
                        b[at] = (byte) rnd.nextInt(256);
                    }
                    break;
                case 1: // bit flip
                    if (at < b.length) {
                        b[at] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    break;
                case 2: // truncation
                    b = Arrays.copyOf(b, at);
                    break;
                case 3: // a token
                    b = insert(b, at, utf8(TOKENS[rnd.nextInt(TOKENS.length)]));
                    break;
                case 4: // random bytes
                    byte[] junk = new byte[1 + rnd.nextInt(8)];
                    for (int j = 0; j < junk.length; j++) {
                        junk[j] = (byte) rnd.nextInt(256);
                    }
                    b = insert(b, at, junk);
                    break;
                case 5: // duplicate the line at `at`
                    b = duplicateLine(b, at);
                    break;
                case 6: // delete a range
                    int end = Math.min(b.length, at + 1 + rnd.nextInt(16));
                    b = concat(Arrays.copyOf(b, Math.min(at, b.length)), Arrays.copyOfRange(b, Math.min(end, b.length),
                            b.length));
                    break;
                default: // replace the first line (a CSV header, a .npy preamble and dict, a JSON opening)
                    int nl = indexOf(b, (byte) '\n', 0);
                    byte[] head = utf8(randomHeader(rnd));
                    b = nl < 0 ? head : concat(head, Arrays.copyOfRange(b, nl, b.length));
            }
        }
        return b;
    }

    private static String randomHeader(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int cells = rnd.nextInt(5);
        for (int c = 0; c < cells; c++) {
            sb.append(c == 0 ? "" : ",").append(TOKENS[rnd.nextInt(TOKENS.length)]);
            if (rnd.nextBoolean()) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static byte[] duplicateLine(byte[] b, int at) {
        int start = at;
        while (start > 0 && b[start - 1] != '\n') {
            start--;
        }
        int end = indexOf(b, (byte) '\n', Math.min(at, b.length));
        end = end < 0 ? b.length : end + 1;
        return insert(b, end, Arrays.copyOfRange(b, start, end));
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        int a = Math.min(at, b.length);
        return concat(concat(Arrays.copyOf(b, a), what), Arrays.copyOfRange(b, a, b.length));
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A .npy file of the given format version, header dict and data bytes, padded as np.save pads. */
    private static byte[] npy(int major, String dict, byte[] data) {
        int pre = major == 1 ? 10 : 12;
        int total = (pre + dict.length() + 1 + 63) / 64 * 64;
        int len = total - pre;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.writeBytes(new byte[] {(byte) len, (byte) (len >>> 8)});
        } else {
            out.writeBytes(new byte[] {(byte) len, (byte) (len >>> 8), (byte) (len >>> 16), (byte) (len >>> 24)});
        }
        out.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(utf8(" ".repeat(total - pre - dict.length() - 1) + "\n"));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
