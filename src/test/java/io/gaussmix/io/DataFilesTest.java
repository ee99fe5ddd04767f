package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DataFilesTest.class.getResource("/reference/" + name).toURI());
    }

    @Test
    void referenceCsvAndNpyReadToIdenticalMatrices() throws Exception {
        Matrix csv = DataFiles.read(resource("blobs2d.csv"), MissingValues.REJECT);
        Matrix npy = DataFiles.read(resource("blobs2d.npy"), MissingValues.REJECT);
        assertEquals(600, csv.rows());
        assertEquals(2, csv.cols());
        assertEquals(600, npy.rows());
        assertEquals(2, npy.cols());
        assertArrayEquals(npy.data(), csv.data());
    }

    @Test
    void dispatchesByExtensionCaseInsensitively() throws IOException {
        Path upper = dir.resolve("X.NPY");
        NpyWriter.write(upper, Matrix.wrap(new double[] {1, 2}, 2, 1));
        CsvData d = DataFiles.readWithHeader(upper, MissingValues.REJECT);
        assertArrayEquals(new double[] {1, 2}, d.matrix().data());
        assertTrue(d.header().isEmpty());
        Path txt = dir.resolve("data.txt");
        Files.writeString(txt, "a\n5\n");
        assertEquals("a", DataFiles.readWithHeader(txt, MissingValues.REJECT).header().get(0));
    }

    @Test
    void npzRefusedWithHint() {
        Path p = dir.resolve("x.npz");
        String msg = assertThrows(DataFileException.class, () -> DataFiles.read(p, MissingValues.REJECT)).getMessage();
        assertEquals(p + ": .npz archives are not supported; save one array with np.save(\"data.npy\", X)", msg);
    }
}
