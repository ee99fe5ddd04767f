package io.gaussmix.cli;

import io.gaussmix.InvalidSettingException;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library speaks API terms ({@code maxIter}, {@code regCovar}); a command-line user knows the
 * options ({@code --max-iter}, {@code --reg-covar}). Messages from the library that reach the terminal
 * (errors, notes) pass through {@link #of}, which renames the API terms that have an option.
 */
final class CliTerms {
    private static final Map<String, String> OPTIONS = Map.of(
            "maxIter", "--max-iter",
            "regCovar", "--reg-covar",
            "nInit", "--n-init",
            "covarianceType", "--covariance-type",
            "initialModel", "--init-model",
            "warmStart", "--init-model",
            "initLabels", "--init-labels",
            "sampleWeights", "--weights",
            "initSample", "--init-sample");
    /**
     * The option of each builder setting that {@link InvalidSettingException} can name: the terms above
     * plus the short ones ("k", "tol") that are named only through the typed exception, never by
     * rewriting words in a message.
     */
    private static final Map<String, String> SETTINGS = settings();
    private static final Pattern TERM = Pattern.compile("\\b(" + String.join("|", OPTIONS.keySet()) + ")\\b");

    private CliTerms() {
    }

    private static Map<String, String> settings() {
        Map<String, String> all = new HashMap<>(OPTIONS);
        all.putAll(Map.of("k", "-k", "tol", "--tol", "device", "--device", "threads", "--threads"));
        return Map.copyOf(all);
    }

    /**
     * The message of a rejected setting: a builder's {@link InvalidSettingException} is named by its
     * option through its typed {@code setting()}; any other message has its API terms renamed.
     */
    static String of(IllegalArgumentException e) {
        if (e instanceof InvalidSettingException) {
            InvalidSettingException s = (InvalidSettingException) e;
            String option = SETTINGS.get(s.setting());
            if (option != null) {
                return s.messageNaming(option);
            }
        }
        return of(e.getMessage());
    }

    /** {@code message} with each API term replaced by its option name. */
    static String of(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = TERM.matcher(message);
        return m.replaceAll(r -> Matcher.quoteReplacement(OPTIONS.get(r.group(1))));
    }
}
