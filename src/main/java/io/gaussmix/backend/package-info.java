/**
 * The Backend seam: one interface for the per-row EM pass, with CPU, OpenCL and CUDA
 * implementations in sub-packages, their providers and the AUTO selection policy.
 */
package io.gaussmix.backend;
