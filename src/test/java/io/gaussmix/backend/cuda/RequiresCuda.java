package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Availability;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Marks a test class that needs a usable CUDA device: tagged {@code gpu} (so a GPU machine can run
 * just these) and, everywhere else, each of its tests is reported skipped with the provider's reason
 * (the class itself stays enabled so that runners count the skips; its set-up must then not open CUDA).
 *
 * <p>In the build's {@code cuda-emulator} test run (system property {@code gaussmix.cudaEmulator}
 * names the emulator library, see {@code kernels/cuda/emulator}), the emulator is the device: the
 * tests skip only where it could not be built, and fail if it was built but CUDA does not come up.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(RequiresCuda.Condition.class)
public @interface RequiresCuda {

    /** Disables each test (not the class) where the CUDA provider is unavailable. */
    final class Condition implements ExecutionCondition {
        /** Whether the CUDA provider reports itself available here. */
        static boolean available() {
            return new CudaProvider().availability().available();
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isEmpty()) {
                return ConditionEvaluationResult.enabled("the class runs; its tests decide");
            }
            Availability a = new CudaProvider().availability();
            String emulator = System.getProperty("gaussmix.cudaEmulator");
            if (emulator != null) {
                if (!Files.exists(Path.of(emulator))) {
                    return ConditionEvaluationResult.disabled("skipped, the CUDA emulator was not built (needs g++ on x86-64): "
                            + emulator);
                }
                if (!a.available()) {
                    throw new IllegalStateException("the CUDA emulator " + emulator + " is built but CUDA is unavailable: "
                            + a.reason());
                }
            }
            return a.available() ? ConditionEvaluationResult.enabled("CUDA is available: " + a.devices().get(0))
                    : ConditionEvaluationResult.disabled("skipped, no usable CUDA GPU: " + a.reason());
        }
    }
}
