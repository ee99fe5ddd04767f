package io.gaussmix.plot;

import io.gaussmix.CovarianceType;
import io.gaussmix.ModelSelection;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The picture of a model selection: BIC and AIC against k, one series per covariance type and criterion. */
public final class SelectionPlot {
    private SelectionPlot() {
    }

    /** Draws {@code result} and writes it to {@code target} as PNG (atomically). */
    public static void write(Path target, ModelSelection.Result result) {
        PngFiles.save(chart(result), target);
    }

    static XYChart chart(ModelSelection.Result result) {
        XYChart chart = new XYChartBuilder().width(FitPlot.WIDTH).height(FitPlot.HEIGHT)
                .title("Model selection: BIC (solid) and AIC (dashed) by k, lower is better; best by "
                        + result.criterion().name() + ": k = " + result.best().k() + ", "
                        + result.best().covarianceType().id())
                .xAxisTitle("k (components)").yAxisTitle("criterion").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        Set<CovarianceType> types = new LinkedHashSet<>();
        for (ModelSelection.Candidate c : result.candidates()) {
            types.add(c.covarianceType());
        }
        int colour = 0;
        for (CovarianceType t : types) {
            List<Double> ks = new ArrayList<>();
            List<Double> bic = new ArrayList<>();
            List<Double> aic = new ArrayList<>();
            for (ModelSelection.Candidate c : result.candidates()) {
                if (c.covarianceType() == t) {
                    ks.add((double) c.k());
                    bic.add(c.bic());
                    aic.add(c.aic());
                }
            }
            XYSeries b = chart.addSeries("BIC " + t.id(), ks, bic);
            b.setLineColor(Palette.color(colour));
            b.setMarkerColor(Palette.color(colour));
            b.setMarker(SeriesMarkers.CIRCLE);
            b.setLineStyle(SeriesLines.SOLID);
            XYSeries a = chart.addSeries("AIC " + t.id(), ks, aic);
            a.setLineColor(Palette.color(colour));
            a.setMarkerColor(Palette.color(colour));
            a.setMarker(SeriesMarkers.SQUARE);
            a.setLineStyle(SeriesLines.DASH_DASH);
            colour++;
        }
        ModelSelection.Candidate best = result.best();
        double v = best.value(result.criterion());
        XYSeries star = chart.addSeries("best", new double[] {best.k()}, new double[] {v});
        star.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        star.setMarker(SeriesMarkers.DIAMOND);
        star.setMarkerColor(java.awt.Color.BLACK);
        return chart;
    }
}
