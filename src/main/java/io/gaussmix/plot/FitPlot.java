package io.gaussmix.plot;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.List;

/**
 * The pictures of a fit: the data in a plane with each component's mean and 1- and 2-sigma ellipses
 * (points coloured by their most probable component), and the lower bound per EM iteration.
 *
 * <p>The plane is two chosen columns, or by default the first two principal components of the data
 * (for D == 2, the two columns themselves). One-dimensional data is drawn as a density histogram
 * with the mixture's density and each weighted component density over it.
 */
public final class FitPlot {
    /** Width of the saved images in pixels. */
    public static final int WIDTH = 900;
    /** Height of the saved images in pixels. */
    public static final int HEIGHT = 700;
    private static final int MAX_POINTS = 20_000;

    private FitPlot() {
    }

    /** Checks that {@code columns} names two different existing columns (0-based) of a D-column matrix. */
    public static void checkColumns(int[] columns, int d) {
        if (columns.length != 2) {
            throw new IllegalArgumentException("--plot-columns needs two column indices, got " + columns.length);
        }
        for (int c : columns) {
            if (c < 0 || c >= d) {
                throw new IllegalArgumentException("--plot-columns: column " + c + " does not exist (the data has "
                        + d + " columns, numbered from 0)");
            }
        }
        if (columns[0] == columns[1]) {
            throw new IllegalArgumentException("--plot-columns: the two columns must differ, got " + columns[0] + " twice");
        }
    }

    /**
     * Writes the data plot to {@code target} and the lower-bound plot beside it ({@code NAME-lowerbound.png}).
     *
     * @param columns two 0-based columns to plot, or null for the default projection
     * @param header  column names (empty for none)
     * @return the path of the lower-bound plot
     */
    public static Path write(Path target, Matrix x, GaussianMixtureModel model, int[] columns, List<String> header) {
        XYChart data = x.cols() == 1 ? histogram(x, model, header) : scatter(x, model, columns, header);
        PngFiles.save(data, target);
        Path second = lowerBoundFile(target);
        PngFiles.save(lowerBound(model), second);
        return second;
    }

    /** Where {@link #write} puts the lower-bound plot for {@code target}: {@code NAME-lowerbound.png} beside it. */
    public static Path lowerBoundFile(Path target) {
        return PngFiles.sibling(target, "lowerbound");
    }

    private static String name(List<String> header, int j) {
        return header.isEmpty() ? "x" + j : header.get(j);
    }

    static XYChart scatter(Matrix x, GaussianMixtureModel model, int[] columns, List<String> header) {
        int d = x.cols();
        Projection p;
        if (columns != null) {
            checkColumns(columns, d);
            p = Projection.columns(d, columns[0], columns[1], name(header, columns[0]), name(header, columns[1]));
        } else if (d == 2) {
            p = Projection.columns(d, 0, 1, name(header, 0), name(header, 1));
        } else {
            p = Projection.principalComponents(x);
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(java.util.Locale.ROOT, "Gaussian mixture: K = %d, %s covariance (%d rows)",
                        model.components(), model.covarianceType().id(), x.rows()))
                .xAxisTitle(p.label(0)).yAxisTitle(p.label(1)).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setMarkerSize(4);
        s.setChartBackgroundColor(java.awt.Color.WHITE);

        int k = model.components();
        int stride = Math.max(1, (x.rows() + MAX_POINTS - 1) / MAX_POINTS);
        int[] labels = model.predict(x);
        int[] counts = new int[k];
        for (int r = 0; r < x.rows(); r += stride) {
            counts[labels[r]]++;
        }
        double[][] px = new double[k][];
        double[][] py = new double[k][];
        for (int c = 0; c < k; c++) {
            px[c] = new double[counts[c]];
            py[c] = new double[counts[c]];
        }
        int[] fill = new int[k];
        double[] v = x.data();
        for (int r = 0; r < x.rows(); r += stride) {
            int c = labels[r];
            px[c][fill[c]] = p.project(v, r * d, 0);
            py[c][fill[c]] = p.project(v, r * d, 1);
            fill[c]++;
        }
        double[][] means = model.means();
        double[] weights = model.weights();
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                XYSeries pts = chart.addSeries("rows of " + c, px[c], py[c]);
                pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                pts.setMarker(SeriesMarkers.CIRCLE);
                pts.setMarkerColor(Palette.color(c, 90));
            }
        }
        for (int c = 0; c < k; c++) {
            double mx = p.project(means[c], 0, 0);
            double my = p.project(means[c], 0, 1);
            double[][] cov2 = p.project(model.covariance(c));
            for (int r = 1; r <= 2; r++) {
                double[][] e = Ellipse.outline(mx, my, cov2, r, 120);
                XYSeries line = chart.addSeries("component " + c + " " + r + "-sigma", e[0], e[1]);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(Palette.color(c));
                line.setLineStyle(r == 1 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
                line.setShowInLegend(false);
            }
            XYSeries mean = chart.addSeries(String.format(java.util.Locale.ROOT, "mean %d (w %.3f)", c, weights[c]),
                    new double[] {mx}, new double[] {my});
            mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            mean.setMarker(SeriesMarkers.DIAMOND);
            mean.setMarkerColor(java.awt.Color.BLACK);
        }
        return chart;
    }

    static XYChart histogram(Matrix x, GaussianMixtureModel model, List<String> header) {
        double[] v = x.data();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double a : v) {
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
        }
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        int bins = (int) Math.max(10, Math.min(80, Math.round(2 * Math.cbrt(v.length))));
        double width = (hi - lo) / bins;
        double[] count = new double[bins];
        for (double a : v) {
            count[Math.min(bins - 1, (int) ((a - lo) / width))]++;
        }
        double[] hx = new double[2 * bins + 2];
        double[] hy = new double[2 * bins + 2];
        for (int b = 0; b < bins; b++) {
            double density = count[b] / (v.length * width);
            hx[2 * b + 1] = lo + b * width;
            hy[2 * b + 1] = density;
            hx[2 * b + 2] = lo + (b + 1) * width;
            hy[2 * b + 2] = density;
        }
        hx[0] = lo;
        hx[2 * bins + 1] = hi;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(java.util.Locale.ROOT, "Gaussian mixture: K = %d (%d rows)", model.components(),
                        v.length))
                .xAxisTitle(name(header, 0)).yAxisTitle("density").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        XYSeries hist = chart.addSeries("data (histogram)", hx, hy);
        hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        hist.setMarker(SeriesMarkers.NONE);
        hist.setFillColor(new java.awt.Color(180, 180, 180, 120));
        hist.setLineColor(java.awt.Color.GRAY);

        int k = model.components();
        int points = 400;
        double pad = 0.05 * (hi - lo);
        double[] gx = new double[points];
        double[][] comp = new double[k][points];
        double[] total = new double[points];
        double[] w = model.weights();
        double[][] mu = model.means();
        for (int i = 0; i < points; i++) {
            gx[i] = lo - pad + (hi - lo + 2 * pad) * i / (points - 1);
            for (int c = 0; c < k; c++) {
                double var = model.covariance(c)[0][0];
                double z = (gx[i] - mu[c][0]) / Math.sqrt(var);
                comp[c][i] = w[c] * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI * var);
                total[i] += comp[c][i];
            }
        }
        for (int c = 0; c < k; c++) {
            XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "component %d (w %.3f)", c, w[c]), gx,
                    comp[c]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Palette.color(c));
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        XYSeries mix = chart.addSeries("mixture density", gx, total);
        mix.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        mix.setMarker(SeriesMarkers.NONE);
        mix.setLineColor(java.awt.Color.BLACK);
        return chart;
    }

    static XYChart lowerBound(GaussianMixtureModel model) {
        List<Double> h = model.summary().lowerBoundHistory();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT / 2 + 100)
                .title("Lower bound (mean log-likelihood per sample) per EM iteration")
                .xAxisTitle("iteration").yAxisTitle("lower bound").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        int n = 0;
        for (double v : h) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        double[] it = new double[Math.max(1, n)];
        double[] lb = new double[Math.max(1, n)];
        int i = 0;
        for (int j = 0; j < h.size(); j++) {
            if (Double.isFinite(h.get(j))) {
                it[i] = j + 1;
                lb[i] = h.get(j);
                i++;
            }
        }
        if (n == 0) {
            it[0] = 0;
            lb[0] = Double.isFinite(model.summary().lowerBound()) ? model.summary().lowerBound() : 0;
        }
        XYSeries s = chart.addSeries("lower bound", it, lb);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(Palette.color(0));
        s.setMarkerColor(Palette.color(0));
        return chart;
    }
}
