package io.gaussmix.em;

import io.gaussmix.FitSummary;
import io.gaussmix.math.MixtureParams;

/** A finished fit: the parameters of the best initialisation and what the fit did. */
public record FitResult(MixtureParams params, FitSummary summary) {
}
