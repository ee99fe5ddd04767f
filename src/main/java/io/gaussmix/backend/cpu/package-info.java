/** The float64 CPU backend: blocked, multi-threaded, deterministic per machine. */
package io.gaussmix.backend.cpu;
