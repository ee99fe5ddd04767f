package io.gaussmix.io;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The lexical rules of one CSV cell for {@link CsvParser}: what a number is (decimal only), what
 * whitespace is (space and tab), what a control character is, and how a cell is shown in a message.
 */
final class CsvCells {
    private CsvCells() {
    }

    /**
     * A decimal number: an optional sign, digits with an optional decimal point (at least one digit),
     * and an optional exponent {@code e}/{@code E} with an optional sign and digits. Nothing else
     * (Java's hexadecimal floats, {@code 1d}/{@code 1f} suffixes, {@code _} separators, inner spaces).
     */
    static boolean isNumeric(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The separator ({@code ;}, tab, {@code |} or space) that splits {@code s} into two or more numbers, or 0. */
    static char foreignSeparator(String s) {
        for (char sep : new char[] {';', '\t', '|', ' '}) {
            if (s.indexOf(sep) < 0) {
                continue;
            }
            String[] parts = s.split(Pattern.quote(String.valueOf(sep)) + "+", -1);
            int numbers = 0;
            boolean all = true;
            for (String part : parts) {
                String p = strip(unquoted(strip(part)));
                if (isNumeric(p)) {
                    numbers++;
                } else if (!p.isEmpty() && !isMissingToken(p)) {
                    all = false;
                }
            }
            if (all && numbers >= 2) {
                return sep;
            }
        }
        return 0;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Blank: only spaces and tabs (a control character is content, and an error). */
    static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!isSpace(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    static String unquoted(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"' ? s.substring(1, s.length() - 1) : s;
    }

    /** Index of the first control character other than tab (C0, DEL, C1), or -1. */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < ' ' && c != '\t') || (c >= 0x7F && c <= 0x9F)) {
                return i;
            }
        }
        return -1;
    }

    static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /** The cell as a message shows it: control characters escaped, at most 40 characters. */
    static String shown(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 40; i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                sb.append("\\t");
            } else if (c < ' ' || (c >= 0x7F && c <= 0x9F)) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() < text.length() && sb.length() >= 40 ? sb + "..." : sb.toString();
    }

    static boolean isMissingToken(String s) {
        return s.isEmpty() || s.equals("?") || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("NaN");
    }

    static boolean isInfinityToken(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity");
    }
}
