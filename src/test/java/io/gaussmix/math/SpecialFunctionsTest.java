package io.gaussmix.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** log Gamma and digamma against scipy 1.10's gammaln and digamma, closed forms and the recurrences. */
class SpecialFunctionsTest {
    static final double[] X = {0.001, 0.05, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 12.5, 57.3, 1234.5, 1000000.0};
    // scipy.special.gammaln(X) and digamma(X), printed with repr.
    static final double[] LGAMMA = {6.907178885383853, 2.968879201051731, 2.252712651734206, 0.5723649429247, 0.0,
        -0.12078223763524526, 0.0, 1.428072326665388, 12.779315214350195, 12.801827480081469, 18.73434751193645,
        173.56386827969146, 7550.550901077894, 12815504.569147611};
    static final double[] DIGAMMA = {-1000.5755719318103, -20.49784499129987, -10.423754940411076, -1.9635100260214235,
        -0.5772156649015329, 0.03648997397857652, 0.42278433509846713, 1.1671535393615113, 2.250700372831201,
        2.251752589066721, 2.4851956512749123, 4.039549239957579, 7.1180162318279985, 13.81551005796419};

    @Test
    void matchScipy() {
        for (int i = 0; i < X.length; i++) {
            assertEquals(LGAMMA[i], SpecialFunctions.logGamma(X[i]), 1e-14 * Math.max(1, Math.abs(LGAMMA[i])), "lgamma " + X[i]);
            assertEquals(DIGAMMA[i], SpecialFunctions.digamma(X[i]), 1e-14 * Math.max(1, Math.abs(DIGAMMA[i])), "digamma " + X[i]);
        }
    }

    @Test
    void closedFormsAndRecurrences() {
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 1e-14);
        assertEquals(Math.log(120), SpecialFunctions.logGamma(6), 1e-14);
        assertEquals(-0.5772156649015329 - 2 * Math.log(2), SpecialFunctions.digamma(0.5), 1e-15);
        for (double x = 0.3; x < 30; x *= 1.7) {
            assertEquals(SpecialFunctions.logGamma(x) + Math.log(x), SpecialFunctions.logGamma(x + 1), 1e-13, "x " + x);
            assertEquals(SpecialFunctions.digamma(x) + 1 / x, SpecialFunctions.digamma(x + 1), 1e-13, "x " + x);
        }
        assertEquals(-Math.log(6), SpecialFunctions.logBeta(2, 2), 1e-14);   // B(2,2) = 1/6
        assertTrue(Double.isNaN(SpecialFunctions.logGamma(0)) && Double.isNaN(SpecialFunctions.digamma(-1)));
    }
}
