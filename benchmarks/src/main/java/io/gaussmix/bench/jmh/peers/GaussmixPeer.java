package io.gaussmix.bench.jmh.peers;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.bench.FixedFit;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

/** gaussmix itself, in process, through the library API (the same {@link FixedFit} as FitBenchmark). */
final class GaussmixPeer implements Peer {
    private final BackendType backend;
    private Matrix x;

    GaussmixPeer(BackendType backend) {
        this.backend = backend;
        // Fail fast with the reason when the backend cannot run here.
        Backends.open(backend, BackendOptions.DEFAULT, s -> { }).close();
    }

    /**
     * The CPU backend chooses its kernels by problem size (the Vector API kernels only above a size the
     * warm-up prefix is below), so the JIT must see a fit of the full size before the timed ones.
     */
    @Override
    public boolean warmUpOnAllRows() {
        return true;
    }

    @Override
    public String name() {
        return "gaussmix " + backend.id();
    }

    @Override
    public String version() {
        return Peer.manifestVersion(FixedFit.class, "0.1.0-SNAPSHOT");
    }

    @Override
    public void load(Matrix rows) {
        this.x = rows;
    }

    @Override
    public MixtureParams fit(MixtureParams start, int iterations) {
        return FixedFit.fit(x, FixedFit.model(start), backend, null, iterations, 1e-6).params();
    }

    @Override
    public String note() {
        return "library API, reg_covar 1e-6, default precision";
    }
}
