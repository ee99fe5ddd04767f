/** The dense float64 row-major matrix the whole engine reads ({@link io.gaussmix.data.Matrix}). */
package io.gaussmix.data;
