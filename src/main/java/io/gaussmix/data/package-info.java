/**
 * The data the engine reads: {@link io.gaussmix.data.Matrix}, one dense float64 row-major array, and
 * {@link io.gaussmix.data.RowSource}, rows visited in fixed-size blocks for data of any size (in memory
 * or, through {@code io.NpyRowSource}, in a file).
 */
package io.gaussmix.data;
