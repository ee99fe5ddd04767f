package io.gaussmix.io;

import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.StandardErrors;
import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional "standardErrors" of a model file: exact round trips, old files, located errors. */
class StandardErrorsJsonTest {
    @TempDir
    Path dir;

    private static Matrix blobs() {
        Random r = new Random(11);
        double[][] x = new double[240][2];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = r.nextGaussian() + (i % 2) * 6;
            x[i][1] = 0.5 * r.nextGaussian() + x[i][0] * 0.3;
        }
        return Matrix.of(x);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void roundTripIsExact(CovarianceType type) throws Exception {
        Matrix x = blobs();
        GaussianMixtureModel model = GaussianMixture.builder().k(2).covarianceType(type).seed(3).build().fit(x);
        StandardErrors se = model.standardErrors(x);
        Path p = dir.resolve("m.json");
        ModelJson.write(p, model, se);
        assertEquals(se, ModelJson.readStandardErrors(p).orElseThrow());
        assertArrayEquals(se.covariances(), ModelJson.readStandardErrors(p).orElseThrow().covariances(), 0.0);
        // The model reads as before, with or without the field.
        assertArrayEquals(model.means()[1], ModelJson.read(p).means()[1], 0.0);
        Path old = dir.resolve("old.json");
        ModelJson.write(old, model);
        assertTrue(ModelJson.readStandardErrors(old).isEmpty());
    }

    @Test
    void badStandardErrorsNameTheField() throws Exception {
        Matrix x = blobs();
        GaussianMixtureModel model = GaussianMixture.builder().k(2).covarianceType(CovarianceType.FULL).seed(3)
                .build().fit(x);
        Path p = dir.resolve("m.json");
        ModelJson.write(p, model, model.standardErrors(x));
        String text = Files.readString(p);
        int at = text.indexOf("\"standardErrors\"");
        int weights = text.indexOf("\"weights\"", at);
        int open = text.indexOf('[', weights);
        String negative = text.substring(0, open + 1) + "-" + text.substring(open + 1).replaceFirst("^\\s*", "");
        Files.writeString(p, negative);
        DataFileException e = assertThrows(DataFileException.class, () -> ModelJson.readStandardErrors(p));
        assertTrue(e.getMessage().startsWith(p + ": \"standardErrors\": ") && e.getMessage().contains(">= 0"),
                e.getMessage());
        // A covariance of the wrong shape is located inside "standardErrors".
        int cov = text.indexOf("\"covariances\"", at);
        String shape = text.substring(0, cov) + "\"covariances\": [1, 2]," + text.substring(text.indexOf("\"parameters\"", cov));
        Files.writeString(p, shape);
        DataFileException e2 = assertThrows(DataFileException.class, () -> ModelJson.readStandardErrors(p));
        assertTrue(e2.getMessage().startsWith(p + ": in \"standardErrors\": \"covariances\""), e2.getMessage());
        // The model itself still reads: the field is optional for it.
        assertEquals(2, ModelJson.read(p).components());
    }
}
