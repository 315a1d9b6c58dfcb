package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.LabelSelector;
import io.github.wardops.ward.alert.RuleSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses {@link LabelSelector}s by hand; stateless and thread-safe. */
public final class Selectors {
    private static final int MAX_LENGTH = 4096;

    private Selectors() {
    }

    /** One term: key, whether negated, and the accepted values. */
    record Term(String key, boolean negated, Set<String> values, java.util.regex.Pattern pattern) {
        Term(String key, boolean negated, Set<String> values) {
            this(key, negated, values, null);
        }

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            boolean in = pattern != null ? pattern.matcher(v == null ? "" : v.strip()).matches()
                    : v != null && values.contains(v.strip());
            return negated != in;
        }
    }

    /** A parsed selector. */
    record Parsed(String text, List<Term> terms) implements LabelSelector {
        @Override
        public boolean matches(Map<String, String> labels) {
            for (Term t : terms) {
                if (!t.matches(labels)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text.isEmpty() ? "(all devices)" : text;
        }
    }

    /**
     * Parses a selector.
     *
     * @param text the text
     * @return the selector
     */
    public static LabelSelector parse(String text) {
        if (text == null) {
            throw new RuleSyntaxException("selector", "", 1, "a selector (empty for all devices)", "null");
        }
        if (text.length() > MAX_LENGTH) {
            throw new RuleSyntaxException("selector", text.substring(0, 64) + "...", MAX_LENGTH + 1,
                    "at most " + MAX_LENGTH + " characters", text.length() + " characters");
        }
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        private RuleSyntaxException err(String expected) {
            ws();
            String found = i >= s.length() ? "the end of the selector" : "'" + s.charAt(i) + "'";
            return new RuleSyntaxException("selector", s, i + 1, expected, found);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        LabelSelector parse() {
            List<Term> terms = new ArrayList<>();
            ws();
            if (i >= s.length()) {
                return new Parsed("", List.of());
            }
            while (true) {
                terms.add(term());
                ws();
                if (i >= s.length()) {
                    break;
                }
                if (s.charAt(i) == ',') {
                    i++;
                } else if (atAnd()) {
                    i += 3;
                } else {
                    throw err("',' or 'and' between terms, or the end of the selector");
                }
            }
            return new Parsed(s.strip(), List.copyOf(terms));
        }

        /** At the word {@code and} standing alone (terms may be joined by it instead of a comma). */
        private boolean atAnd() {
            return s.regionMatches(true, i, "and", 0, 3) && (i + 3 == s.length() || Character.isWhitespace(s.charAt(i + 3)))
                    && (i == 0 || Character.isWhitespace(s.charAt(i - 1)));
        }

        private String word() {
            ws();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            return s.substring(start, i);
        }

        private Term term() {
            String key = word();
            if (key.isEmpty()) {
                throw err("a label name such as region");
            }
            ws();
            if (s.startsWith("=~", i) || s.startsWith("!~", i)) {
                boolean neg = s.charAt(i) == '!';
                i += 2;
                int at = i;
                String re = value(false);
                try {
                    return new Term(key, neg, Set.of(), java.util.regex.Pattern.compile(re));
                } catch (java.util.regex.PatternSyntaxException e) {
                    i = at;
                    throw err("a regular expression (" + e.getDescription() + ")");
                }
            }
            if (s.startsWith("!=", i)) {
                i += 2;
                return new Term(key, true, Set.of(value(false)));
            }
            if (s.startsWith("==", i)) {
                i += 2;
                return new Term(key, false, Set.of(value(false)));
            }
            if (i < s.length() && s.charAt(i) == '=') {
                i++;
                return new Term(key, false, Set.of(value(false)));
            }
            int save = i;
            String kw = word();
            boolean negated = false;
            if (kw.equalsIgnoreCase("not")) {
                negated = true;
                save = i;
                kw = word();
            }
            if (!kw.equalsIgnoreCase("in")) {
                i = save;
                throw err(negated ? "'in' after 'not'" : "'=', '!=', 'in' or 'not in' after '" + key + "'");
            }
            ws();
            if (i >= s.length() || s.charAt(i) != '(') {
                throw err("'(' to start the list of values");
            }
            i++;
            List<String> values = new ArrayList<>();
            while (true) {
                values.add(value(true));
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i < s.length() && s.charAt(i) == ')') {
                    i++;
                    break;
                } else {
                    throw err("',' or ')' in the list of values");
                }
            }
            return new Term(key, negated, Set.copyOf(values));
        }

        private String value(boolean inList) {
            ws();
            if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                char q = s.charAt(i);
                int start = ++i;
                while (i < s.length() && s.charAt(i) != q) {
                    i++;
                }
                if (i >= s.length()) {
                    throw err("a closing " + q);
                }
                return s.substring(start, i++);
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ',' && !(inList && s.charAt(i) == ')')
                    && s.charAt(i) != '(' && s.charAt(i) != '"' && s.charAt(i) != '=' && !(i > start && atAnd())) {
                i++;
            }
            String v = s.substring(start, i).strip();
            if (v.isEmpty()) {
                throw err("a value");
            }
            return v;
        }
    }
}
