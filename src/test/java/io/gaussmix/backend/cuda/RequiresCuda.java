package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Availability;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs a usable CUDA GPU: tagged {@code gpu} (so a GPU machine can run just
 * these) and, everywhere else, each of its tests is reported skipped with the provider's reason (the
 * class itself stays enabled so that runners count the skips; its set-up must then not open CUDA).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RequiresCuda
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
            return a.available() ? ConditionEvaluationResult.enabled("CUDA is available")
                    : ConditionEvaluationResult.disabled("skipped, no usable CUDA GPU: " + a.reason());
        }
    }
}
