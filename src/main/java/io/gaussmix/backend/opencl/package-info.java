/**
 * The OpenCL backend (JOCL): the fused E-step and sufficient statistics in {@code estep.cl}, run on
 * any OpenCL device (GPU, or CPU through PoCL). Nothing outside this package touches {@code org.jocl}.
 * {@link io.gaussmix.backend.opencl.OpenClProvider} probes the platforms without ever throwing;
 * {@link io.gaussmix.backend.opencl.OpenClBackend} keeps the rows on the device when they fit and
 * streams them in chunks when they do not.
 */
package io.gaussmix.backend.opencl;
