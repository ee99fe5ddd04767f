package io.gaussmix.cli;

import io.gaussmix.data.Matrix;

import java.nio.file.Path;

/** Reads {@code fit --init-labels}: one integer label per data row, a one-column CSV or .npy file. */
final class LabelsFile {
    private LabelsFile() {
    }

    /**
     * @param rows the number of data rows the labels must match
     * @throws CliException naming the file and the row when the file is not one integer per data row
     */
    static int[] read(Path file, int rows) {
        Matrix m = Inputs.data(file);
        if (m.cols() != 1) {
            throw new CliException(file + ": a labels file must have one column, got " + m.cols());
        }
        if (m.rows() != rows) {
            throw new CliException(file + ": " + m.rows() + " labels for " + rows + " data rows");
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            double v = m.data()[r];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new CliException(file + ": row " + r + " (0-based) holds " + v + ", not an integer label");
            }
            labels[r] = (int) v;
        }
        return labels;
    }
}
