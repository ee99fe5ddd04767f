package io.gaussmix.io;

/** What a reader does with a missing value (CSV: empty cell, {@code NA}, {@code NaN}, {@code ?}; {@code .npy}: NaN). */
public enum MissingValues {
    /** A missing value is an error naming its location. */
    REJECT,
    /** A missing value is read as {@link Double#NaN}. */
    ALLOW_NAN
}
