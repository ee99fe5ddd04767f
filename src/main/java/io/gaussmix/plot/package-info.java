/**
 * Pictures of fits, drawn headless with XChart and saved as PNG atomically: {@link
 * io.gaussmix.plot.FitPlot} (data with 1- and 2-sigma ellipses per component, in two chosen columns
 * or the first two principal components, plus the lower bound per iteration) and {@link
 * io.gaussmix.plot.SelectionPlot} (BIC and AIC against k per covariance type).
 */
package io.gaussmix.plot;
