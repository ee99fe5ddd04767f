/** Dense row-major matrices (float64 for the host, float32 for device uploads). */
package io.gaussmix.data;
