package io.gaussmix.bench.jmh;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the backends that can run here, comma separated, on stdout (for {@code -p backend=...}), and
 * one line per skipped backend with the reason on stderr.
 */
public final class AvailableBackends {
    private AvailableBackends() {
    }

    public static void main(String[] args) {
        List<String> ok = new ArrayList<>();
        for (BackendType t : new BackendType[]{BackendType.CPU, BackendType.OPENCL, BackendType.CUDA}) {
            try {
                Availability a = Backends.provider(t).availability();
                if (a.available()) {
                    ok.add(t.id());
                } else {
                    System.err.println("skipping backend " + t.id() + ": " + a.reason());
                }
            } catch (BackendUnavailableException | LinkageError e) {
                System.err.println("skipping backend " + t.id() + ": " + e.getMessage());
            }
        }
        System.out.println(String.join(",", ok));
    }
}
