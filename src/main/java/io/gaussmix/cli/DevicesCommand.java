package io.gaussmix.cli;

import io.gaussmix.backend.Availability;
import io.gaussmix.backend.BackendProvider;
import io.gaussmix.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code gaussmix devices}: lists every backend, whether it can run here, its devices, or why not. */
@Command(name = "devices", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List the backends (in the order --backend auto tries them), their devices, and why one is unavailable.")
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.availability();
            out.println(p.type().id() + ": " + (a.available() ? "available" : "unavailable"));
            if (a.available()) {
                for (int i = 0; i < a.devices().size(); i++) {
                    out.println("  device " + i + ": " + a.devices().get(i));
                }
            } else {
                out.println("  reason: " + ErrorHandler.oneLine(a.reason()));
            }
        }
        out.flush();
        return 0;
    }
}
