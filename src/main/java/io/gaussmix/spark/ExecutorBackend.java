package io.gaussmix.spark;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.Precision;
import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * How a task opens its backend: the fit's backend choice and precision, with as many CPU threads as
 * Spark gives the task ({@code spark.task.cpus}), so that the tasks of an executor do not oversubscribe it.
 */
record ExecutorBackend(BackendType type, int device, Precision precision) implements Serializable {

    Backend open() {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        // Notes (e.g. AUTO's skipped backends) have no listener on an executor; the description says what ran.
        return Backends.open(type, new BackendOptions(device, precision, threads), note -> { });
    }
}
