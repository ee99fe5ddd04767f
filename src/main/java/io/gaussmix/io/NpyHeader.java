package io.gaussmix.io;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed header dictionary of a {@code .npy} file, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (600, 2), }}.
 *
 * @param descr the dtype string ({@code '<f8'}), or null when it is not a plain string (structured dtype)
 * @param fortranOrder whether the data are in column-major order
 * @param shape the array shape
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern DESCR_KEY = Pattern.compile("['\"]descr['\"]\\s*:");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** Parses the dictionary text; a missing or malformed key is an error naming {@code file}. */
    static NpyHeader parse(String file, String dict) {
        if (!DESCR_KEY.matcher(dict).find()) {
            throw malformed(file, "no 'descr'");
        }
        Matcher d = DESCR.matcher(dict);
        String descr = d.find() ? d.group(1) : null;
        Matcher f = FORTRAN.matcher(dict);
        if (!f.find()) {
            throw malformed(file, "no 'fortran_order'");
        }
        Matcher s = SHAPE.matcher(dict);
        if (!s.find()) {
            throw malformed(file, "no 'shape'");
        }
        return new NpyHeader(descr, f.group(1).equals("True"), parseShape(file, s.group(1)));
    }

    private static long[] parseShape(String file, String tuple) {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 long literal
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0) {
                    throw malformed(file, "negative dimension in shape (" + tuple + ")");
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw malformed(file, "bad shape (" + tuple + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** The shape as Python prints it: "(600, 2)", "(5,)", "()". */
    String shapeText() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static DataFileException malformed(String file, String what) {
        return new DataFileException(file + ": malformed .npy header: " + what);
    }
}
