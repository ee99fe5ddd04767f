package io.gaussmix.spark;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.cpu.CpuBackend;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a task opens its backend: the fit's backend choice and precision, with as many CPU threads as
 * Spark gives the task ({@code spark.task.cpus}), so that the tasks of an executor do not oversubscribe it,
 * on the GPU the scheduler gave the task when it has one ({@link #deviceFor}).
 *
 * @param device the device index when the scheduler assigns no GPU (the estimator's is 0)
 */
record ExecutorBackend(BackendType type, int device, Precision precision) implements Serializable {
    /** Spark's name of the GPU resource ({@code spark.task.resource.gpu.amount}). */
    static final String GPU = "gpu";

    /** The device this task uses: the first address of its {@code gpu} resource, else {@link #device}. */
    int taskDevice() {
        TaskContext task = TaskContext.get();
        ResourceInformation gpu = task == null ? null : task.resourcesJMap().get(GPU);
        return deviceFor(type, device, gpu == null ? null : gpu.addresses());
    }

    /**
     * The device index for a backend given the task's GPU addresses (null or empty: none assigned): the first
     * address for CUDA, OpenCL and AUTO (a backend uses one device; Spark's addresses are what the discovery
     * script printed, which must be the backend's device numbers), the configured index otherwise.
     *
     * @throws IllegalArgumentException when the address is not a non-negative device number
     */
    static int deviceFor(BackendType type, int configured, String[] gpuAddresses) {
        if (type == BackendType.CPU || gpuAddresses == null || gpuAddresses.length == 0) {
            return configured;
        }
        String a = gpuAddresses[0].trim();
        try {
            int index = Integer.parseInt(a);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("the task's gpu resource address '" + a + "' is not a device number "
                + "(0, 1, ...): the GPU discovery script must print the devices as backend " + type.id()
                + " numbers them");
    }

    ExecutorBackend withPrecision(Precision p) {
        return new ExecutorBackend(type, device, p);
    }

    /** Opens the backend; one open at a time per JVM (drivers and contexts are set up once, and rarely: the cache). */
    Backend open(int taskDevice) {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        synchronized (OPENING) {
            // Notes (e.g. AUTO's skipped backends) have no listener on an executor; the description says what ran.
            return Backends.open(type, new BackendOptions(taskDevice, precision, threads), note -> { });
        }
    }

    /**
     * What a task holds while it uses {@code opened}: for a device, that device's one lock in this JVM, so
     * the tasks of an executor that share a GPU (two cores, one GPU) run their uploads, passes and frees one
     * after another (a pass fills the device, and the CUDA emulator the tests run on is single-threaded);
     * for the CPU an object of its own, so CPU tasks run side by side.
     */
    static Object lockFor(Backend opened, int device) {
        return opened instanceof CpuBackend ? new Object() : DEVICE_LOCKS.computeIfAbsent(device, d -> new Object());
    }

    private static final Object OPENING = new Object();
    private static final Map<Integer, Object> DEVICE_LOCKS = new ConcurrentHashMap<>();
}
