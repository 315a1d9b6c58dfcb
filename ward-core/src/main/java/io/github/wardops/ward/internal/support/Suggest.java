package io.github.wardops.ward.internal.support;

import java.util.Collection;

/** "Did you mean" for a mistyped name; stateless. */
public final class Suggest {
    private Suggest() {
    }

    /**
     * The closest known name within two edits, as a message suffix.
     *
     * @param typed what was written
     * @param known the names it could have meant
     * @return {@code " (did you mean 'x'?)"}, or empty when none is close
     */
    public static String didYouMean(String typed, Collection<String> known) {
        String best = null;
        int bestD = 3;
        for (String n : known) {
            int d = distance(typed, n);
            if (d < bestD) {
                bestD = d;
                best = n;
            }
        }
        return best == null || best.equals(typed) ? "" : " (did you mean '" + best + "'?)";
    }

    /**
     * The Levenshtein distance.
     *
     * @param a one text
     * @param b another
     * @return the least number of single-character edits from one to the other
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
