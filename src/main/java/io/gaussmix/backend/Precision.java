package io.gaussmix.backend;

/** Arithmetic precision of a backend's per-row pass. The host M-step is always float64. */
public enum Precision {
    FLOAT32, FLOAT64;

    /** Bytes of one value on a device: 4 or 8. */
    public int elementBytes() {
        return this == FLOAT32 ? 4 : 8;
    }

    public String id() {
        return this == FLOAT32 ? "float32" : "float64";
    }

    public static Precision parse(String s) {
        switch (s.trim().toLowerCase()) {
            case "float32": case "f32": case "single": return FLOAT32;
            case "float64": case "f64": case "double": return FLOAT64;
            default: throw new IllegalArgumentException("unknown precision '" + s + "' (expected float32 or float64)");
        }
    }
}
