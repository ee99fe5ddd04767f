package io.gaussmix.bench;

import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NpyReader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loading speed of {@link NpyReader} (a main, run by no test): reads the file {@code reps} times in one
 * JVM and prints each read's wall time and MB/s; compare with {@code cat FILE > /dev/null} from the page
 * cache. {@code java -Xmx2g -cp target/test-classes:target/gaussmix.jar io.gaussmix.bench.NpyReadTiming FILE [reps]}
 */
public final class NpyReadTiming {
    private NpyReadTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double mb = Files.size(file) / 1e6;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            int rows = NpyReader.read(file, MissingValues.REJECT).rows();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("read %d: %d rows, %.1f MB in %.3f s = %.0f MB/s%n", r + 1, rows, mb, s, mb / s);
        }
    }
}
