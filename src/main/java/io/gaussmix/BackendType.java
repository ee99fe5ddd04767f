package io.gaussmix;

import java.util.Locale;

/** Where the per-row EM work runs. AUTO picks CUDA, then an OpenCL GPU, then the CPU. */
public enum BackendType {
    AUTO, CPU, OPENCL, CUDA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendType parse(String s) {
        for (BackendType t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + s + "' (expected auto, cpu, opencl or cuda)");
    }
}
