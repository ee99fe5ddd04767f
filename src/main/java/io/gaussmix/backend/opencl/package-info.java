/**
 * The OpenCL backend (JOCL): the fused E-step and sufficient statistics in {@code estep.cl}, run on
 * any OpenCL device (GPU, or CPU through PoCL). Nothing outside this package touches {@code org.jocl}.
 * {@link io.gaussmix.backend.opencl.OpenClProvider} probes the platforms without ever throwing;
 * {@link io.gaussmix.backend.opencl.OpenClBackend} loads a {@code RowSource}: it keeps the rows on
 * the device when they fit and otherwise streams them from the source in chunks of whole tiles
 * (double-buffered, non-blocking uploads), with the resident pass's bits.
 */
package io.gaussmix.backend.opencl;
