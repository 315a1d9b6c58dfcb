package io.github.wardops.ward.runner.log;

import java.util.regex.Pattern;

/**
 * Makes text safe for one log line: control characters are escaped, so a device name, a
 * configuration value or an HTTP path can neither forge a line nor send a terminal escape; and
 * the usual shapes of a secret are masked, a last net under the rule that secrets never reach a
 * log call at all. Stateless and thread-safe.
 */
public final class LogText {
    /** What a masked secret becomes. */
    public static final String MASK = "***";

    /** {@code password=x}, {@code sslpassword: x}, {@code token=x}, in any case, quoted or not. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:password|passwd|pwd|passphrase|secret|token|community)\\s*[=:]\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s&;,'\")\\]}]+)");
    /** The user information of a URL: {@code redis://:pw@host}, {@code jdbc:postgresql://u:pw@h}. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    /** A Redis AUTH command as text: {@code AUTH pw}, {@code AUTH user pw}, {@code HELLO 3 AUTH user pw}. */
    private static final Pattern REDIS_AUTH = Pattern.compile("\\bAUTH\\b(\\s+[^\\s\\]]+){1,2}");
    /** An HTTP Authorization header value. */
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(?:(?:bearer|basic)\\s+)?[^\\s,;]+");

    private LogText() {
    }

    /**
     * Escapes control characters and masks secrets.
     *
     * @param s the text, or {@code null}
     * @return the safe text, {@code null} for {@code null}
     */
    public static String clean(String s) {
        if (s == null) {
            return null;
        }
        return mask(escape(s));
    }

    /**
     * Escapes every control character (U+0000-U+001F, U+007F-U+009F) and the Unicode line and
     * paragraph separators: {@code \n}, {@code \r} and {@code \t} as such, the others as
     * {@code \u001b}.
     *
     * @param s the text
     * @return the text on one line, with no control character
     */
    public static String escape(String s) {
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append("\\u").append(Character.forDigit((c >> 12) & 0xf, 16)).append(Character.forDigit((c >> 8) & 0xf, 16))
                        .append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return sb.toString();
    }

    static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /**
     * Masks the usual shapes of a secret: {@code password=}, {@code token:} and the like, the
     * user information of a URL, a Redis {@code AUTH} command, an {@code Authorization} value.
     *
     * @param s the text
     * @return the text with those values replaced by {@value #MASK}
     */
    public static String mask(String s) {
        String out = s;
        if (out.indexOf('=') >= 0 || out.indexOf(':') >= 0) {
            out = KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
            out = AUTHORIZATION.matcher(out).replaceAll("$1" + MASK);
        }
        if (out.indexOf('@') >= 0) {
            out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        }
        if (out.contains("AUTH")) {
            out = REDIS_AUTH.matcher(out).replaceAll("AUTH " + MASK);
        }
        return out;
    }
}
