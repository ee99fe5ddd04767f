package io.gaussmix.math;

/** log sum_i exp(a_i) with the maximum subtracted first, written once for the host scorer and the row information. */
public final class LogSumExp {
    private LogSumExp() {
    }

    /** log sum_i exp(a[i]) over a[from, from + len). */
    public static double of(double[] a, int from, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + len; i++) {
            max = Math.max(max, a[i]);
        }
        double sum = 0;
        for (int i = from; i < from + len; i++) {
            sum += Math.exp(a[i] - max);
        }
        return max + Math.log(sum);
    }
}
