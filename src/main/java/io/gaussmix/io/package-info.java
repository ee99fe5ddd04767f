/**
 * Reading and writing data files: CSV and NumPy {@code .npy} matrices in, CSV and {@code .npy} out.
 *
 * <p>Every problem with an input file (not found, not a number, unequal rows, a missing value where
 * none is allowed, an unsupported {@code .npy} dtype, ...) is reported as a {@link
 * io.gaussmix.io.DataFileException} whose one-line message names the file and, where there is one,
 * the place in it (CSV: 1-based line and column; {@code .npy}: 1-based row and column), so that the
 * command line can print it as is.
 *
 * <p>Reading is strict (README, "Input formats: what is accepted"): decimal numbers only, a CSV
 * header only when no cell of the first line is a number, no control characters, exactly one JSON
 * object with unique keys in a model file. A file larger than the free heap is refused before the
 * allocation with a {@link io.gaussmix.io.NotEnoughMemoryException} saying how much it needs
 * ({@link io.gaussmix.io.Memory}). {@code ReaderFuzzTest} holds the readers to this.
 *
 * <p>Every writer goes through {@link io.gaussmix.io.AtomicFiles}: the output is written to a
 * temporary file beside the target and moved over it only when complete, so an interrupted write
 * never leaves a half-written target behind. Writers stream (one CSV line, one JSON token at a
 * time); {@link io.gaussmix.io.CsvWriter}'s {@code writeFinite} methods, used for every command's
 * results, refuse NaN and infinities, naming the row and column.
 *
 * <p>Data of any size: {@link io.gaussmix.io.NpyRowSource} visits a {@code .npy} file's rows in
 * blocks through windows of bounded size (a {@link io.gaussmix.data.RowSource}; its errors name the
 * 0-based row and column), and {@link io.gaussmix.io.CsvToNpy} converts a CSV of any size into
 * {@code .npy} with constant memory, through {@link io.gaussmix.io.CsvParser}'s streamed mode.
 *
 * <p>{@link io.gaussmix.io.ModelJson} saves and loads fitted models as JSON (written atomically too).
 *
 * <p>Entry points: {@link io.gaussmix.io.DataFiles#read} (dispatch by extension), {@link
 * io.gaussmix.io.CsvReader}, {@link io.gaussmix.io.NpyReader}, {@link io.gaussmix.io.CsvWriter},
 * {@link io.gaussmix.io.NpyWriter}.
 */
package io.gaussmix.io;
