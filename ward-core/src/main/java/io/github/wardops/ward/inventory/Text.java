package io.github.wardops.ward.inventory;

import java.util.Locale;

/**
 * The one rule on inventory text: no control characters (Unicode category Cc: U+0000-U+001F,
 * TAB included, U+007F and U+0080-U+009F). They forge log lines and terminal escapes, and
 * PostgreSQL refuses NUL outright. Stateless.
 */
final class Text {
    private Text() {
    }

    /**
     * The index of the first control character.
     *
     * @param s the text
     * @return the index, or -1 when there is none
     */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * A problem naming the first control character of the text and its position, never the text.
     *
     * @param s the text, holding a control character
     * @return such as {@code holds the control character U+001B at character 4; control characters are not allowed}
     */
    static String describeControl(String s) {
        int i = firstControl(s);
        return "holds the control character " + String.format(Locale.ROOT, "U+%04X", (int) s.charAt(i)) + " at character "
                + (i + 1) + "; control characters (U+0000-U+001F, U+007F-U+009F) are not allowed";
    }
}
