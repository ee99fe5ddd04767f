/**
 * The Backend seam: one interface for the per-row EM pass, with CPU, OpenCL and CUDA
 * implementations in sub-packages (found by {@link java.util.ServiceLoader}, so this package
 * imports none of them), their providers and the AUTO selection policy ({@link io.gaussmix.backend.Backends}).
 * What both device backends prepare on the host lives here once: {@link io.gaussmix.backend.DeviceRows}
 * (the column-mean shift and the conversion of rows, read from a {@code RowSource} in blocks, and the
 * memory plan's wording), {@link io.gaussmix.backend.PackedStats} (the
 * statistics layout their kernels write), {@link io.gaussmix.backend.CovarianceCodes} (the
 * kernels' covariance type numbers) and {@link io.gaussmix.backend.InformationInputs} (what their
 * information kernels read, for {@link io.gaussmix.backend.Backend#rowInformation}).
 */
package io.gaussmix.backend;
