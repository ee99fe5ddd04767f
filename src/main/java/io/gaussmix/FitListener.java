package io.gaussmix;

/** Receives a fit's progress. Every method has an empty default; called on the fitting thread. */
public interface FitListener {
    /** A listener that ignores everything. */
    FitListener NONE = new FitListener() { };

    /** One EM iteration of one initialisation finished. */
    default void onIteration(IterationEvent event) {
    }

    /** The fit repaired a component (also recorded in the model). */
    default void onIntervention(Intervention intervention) {
    }

    /** A one-line note: the backend chosen, a backend skipped and why, a mode switched. */
    default void onNote(String message) {
    }

    /**
     * One EM iteration.
     *
     * @param init         the initialisation (restart) index, 0-based
     * @param iteration    the M-step count in this initialisation, 1-based
     * @param lowerBound   mean log-likelihood per sample of the parameters before this M-step
     * @param change       change of the lower bound from the previous iteration (NaN on a fresh start's
     *                     first; a warm start's first is measured from the starting model's lower bound)
     * @param elapsedNanos time since this initialisation started
     * @param rows         number of rows in the data
     */
    record IterationEvent(int init, int iteration, double lowerBound, double change, long elapsedNanos, long rows) {
        /** Rows processed per second over this initialisation so far. */
        public double rowsPerSecond() {
            return elapsedNanos == 0 ? Double.NaN : (double) rows * iteration / (elapsedNanos / 1e9);
        }
    }
}
