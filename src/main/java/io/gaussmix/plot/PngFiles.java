package io.gaussmix.plot;

import io.gaussmix.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Saves XChart charts as PNG files, atomically (temporary file, then rename). */
final class PngFiles {
    private PngFiles() {
    }

    /** Renders {@code chart} and writes it to {@code target}; a failure leaves an existing target unchanged. */
    static void save(Chart<?, ?> chart, Path target) {
        System.setProperty("java.awt.headless", "true");
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(target, out -> out.write(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** {@code dir/name.png} becomes {@code dir/name-suffix.png}. */
    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return file.resolveSibling(stem + "-" + suffix + ext);
    }
}
