package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.alert.RuleSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-written lexer and recursive-descent parser for rule expressions. No reflection, no
 * evaluation of code: the output is an {@link Expr} tree. Grammar:
 *
 * <pre>
 * rule       := or [ 'for' DURATION ] EOF
 * or         := and { 'or' and }
 * and        := unary { 'and' unary }
 * unary      := 'not' unary | '(' or ')' | comparison
 * comparison := IDENT op ( NUMBER | WORD | STRING )
 * op         := '&gt;' | '&gt;=' | '&lt;' | '&lt;=' | '==' | '!='
 * </pre>
 *
 * A word or string operand takes only {@code ==} and {@code !=}. Positions in errors are
 * 1-based columns. Stateless; thread-safe.
 */
public final class RuleParser {
    /** The longest expression accepted, a bound on parser work. */
    public static final int MAX_LENGTH = 4096;
    private static final int MAX_DEPTH = 64;

    enum Kind { IDENT, NUMBER, DURATION, STRING, OP, LPAREN, RPAREN, AND, OR, NOT, FOR, EOF }

    record Token(Kind kind, String text, int pos) {
        String describe() {
            return switch (kind) {
                case EOF -> "the end of the expression";
                case STRING -> "string \"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private final String src;
    private final List<Token> tokens;
    private int i;
    private int depth;

    private RuleParser(String src, List<Token> tokens) {
        this.src = src;
        this.tokens = tokens;
    }

    /**
     * Parses a rule expression.
     *
     * @param ruleName the rule's name, for errors
     * @param text the expression
     * @return the parsed rule
     * @throws RuleSyntaxException with the position and what was expected
     */
    public static Expr.Rule parse(String ruleName, String text) {
        if (text == null || text.isBlank()) {
            throw new RuleSyntaxException(ruleName, text == null ? "" : text, 1, "a condition such as ping_unreachable >= 3",
                    "an empty expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw new RuleSyntaxException(ruleName, text.substring(0, 64) + "...", MAX_LENGTH + 1,
                    "at most " + MAX_LENGTH + " characters", text.length() + " characters");
        }
        RuleParser p = new RuleParser(text, lex(ruleName, text));
        return p.rule(ruleName);
    }

    private static List<Token> lex(String rule, String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int pos = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LPAREN, "(", pos));
                i++;
            } else if (c == ')') {
                out.add(new Token(Kind.RPAREN, ")", pos));
                i++;
            } else if (c == '>' || c == '<' || c == '=' || c == '!') {
                boolean eq = i + 1 < n && s.charAt(i + 1) == '=';
                if ((c == '=' || c == '!') && !eq) {
                    throw new RuleSyntaxException(rule, s, pos, c == '=' ? "'==' (comparison)" : "'!='", "'" + c + "'");
                }
                String op = eq ? c + "=" : String.valueOf(c);
                out.add(new Token(Kind.OP, op, pos));
                i += op.length();
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < n && s.charAt(j) != c) {
                    sb.append(s.charAt(j));
                    j++;
                }
                if (j >= n) {
                    throw new RuleSyntaxException(rule, s, n + 1, "a closing " + c + " for the string at column " + pos,
                            "the end of the expression");
                }
                out.add(new Token(Kind.STRING, sb.toString(), pos));
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                int j = i + 1;
                while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                String num = s.substring(i, j);
                int k = j;
                while (k < n && Character.isLetter(s.charAt(k))) {
                    k++;
                }
                if (k > j) {
                    out.add(new Token(Kind.DURATION, s.substring(i, k), pos));
                    i = k;
                } else {
                    if (num.chars().filter(ch -> ch == '.').count() > 1 || num.endsWith(".")) {
                        throw new RuleSyntaxException(rule, s, pos, "a number such as 10 or 2.5", "'" + num + "'");
                    }
                    out.add(new Token(Kind.NUMBER, num, pos));
                    i = j;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) {
                    j++;
                }
                String w = s.substring(i, j);
                Kind k = switch (w.toLowerCase(Locale.ROOT)) {
                    case "and" -> Kind.AND;
                    case "or" -> Kind.OR;
                    case "not" -> Kind.NOT;
                    case "for" -> Kind.FOR;
                    default -> Kind.IDENT;
                };
                out.add(new Token(k, w, pos));
                i = j;
            } else if (c == '&' || c == '|') {
                throw new RuleSyntaxException(rule, s, pos, c == '&' ? "'and'" : "'or'", "'" + c + "'");
            } else {
                throw new RuleSyntaxException(rule, s, pos, "a variable, number, operator or parenthesis",
                        "'" + c + "'");
            }
        }
        out.add(new Token(Kind.EOF, "", n + 1));
        return out;
    }

    private Token peek() {
        return tokens.get(i);
    }

    private Token next() {
        return tokens.get(i++);
    }

    private RuleSyntaxException error(String rule, Token at, String expected) {
        return new RuleSyntaxException(rule, src, at.pos(), expected, at.describe());
    }

    private Expr.Rule rule(String rule) {
        Expr e = or(rule);
        Duration hold = Duration.ZERO;
        if (peek().kind() == Kind.FOR) {
            next();
            Token d = next();
            if (d.kind() != Kind.DURATION) {
                throw error(rule, d, "a duration such as 30s, 5m, 1h or 1d");
            }
            hold = duration(rule, d);
        }
        Token end = peek();
        if (end.kind() != Kind.EOF) {
            throw error(rule, end, "'and', 'or', 'for <duration>' or the end of the expression");
        }
        return new Expr.Rule(e, hold);
    }

    private Duration duration(String rule, Token d) {
        String t = d.text();
        int k = 0;
        while (k < t.length() && (Character.isDigit(t.charAt(k)))) {
            k++;
        }
        String unit = t.substring(k).toLowerCase(Locale.ROOT);
        if (k == 0 || k != t.length() - unit.length() || t.substring(0, k).length() > 9) {
            throw error(rule, d, "a whole number of s, m, h or d such as 5m");
        }
        long n = Long.parseLong(t.substring(0, k));
        Duration out = switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new RuleSyntaxException(rule, src, d.pos() + k, "a unit s, m, h or d", "'" + unit + "'");
        };
        if (out.isZero() || out.compareTo(Duration.ofDays(7)) > 0) {
            throw new RuleSyntaxException(rule, src, d.pos(), "a duration from 1s to 7d", "'" + t + "'");
        }
        return out;
    }

    private Expr or(String rule) {
        Expr left = and(rule);
        while (peek().kind() == Kind.OR) {
            next();
            left = new Expr.Or(left, and(rule));
        }
        return left;
    }

    private Expr and(String rule) {
        Expr left = unary(rule);
        while (peek().kind() == Kind.AND) {
            next();
            left = new Expr.And(left, unary(rule));
        }
        return left;
    }

    private Expr unary(String rule) {
        if (++depth > MAX_DEPTH) {
            throw error(rule, peek(), "at most " + MAX_DEPTH + " nested 'not' or parentheses");
        }
        try {
            Token t = peek();
            if (t.kind() == Kind.NOT) {
                next();
                return new Expr.Not(unary(rule));
            }
            if (t.kind() == Kind.LPAREN) {
                next();
                Expr e = or(rule);
                Token close = next();
                if (close.kind() != Kind.RPAREN) {
                    throw error(rule, close, "')' to close the '(' at column " + t.pos());
                }
                return e;
            }
            return comparison(rule);
        } finally {
            depth--;
        }
    }

    private Expr comparison(String rule) {
        Token var = next();
        if (var.kind() != Kind.IDENT) {
            throw error(rule, var, "a variable name such as ping_unreachable, 'not' or '('");
        }
        Token op = next();
        if (op.kind() != Kind.OP) {
            throw error(rule, op, "a comparison operator (>, >=, <, <=, ==, !=) after '" + var.text() + "'");
        }
        Expr.Op o = switch (op.text()) {
            case ">" -> Expr.Op.GT;
            case ">=" -> Expr.Op.GE;
            case "<" -> Expr.Op.LT;
            case "<=" -> Expr.Op.LE;
            case "==" -> Expr.Op.EQ;
            default -> Expr.Op.NE;
        };
        Token val = next();
        String name = var.text().toLowerCase(Locale.ROOT);
        switch (val.kind()) {
            case NUMBER -> {
                double d;
                try {
                    d = Double.parseDouble(val.text());
                } catch (NumberFormatException e) {
                    throw error(rule, val, "a number");
                }
                return new Expr.NumberCompare(name, o, d);
            }
            case IDENT, STRING -> {
                if (o != Expr.Op.EQ && o != Expr.Op.NE) {
                    throw error(rule, val, "a number after '" + op.text() + "' (words compare only with == or !=)");
                }
                return new Expr.WordCompare(name, o, val.text().toLowerCase(Locale.ROOT));
            }
            default -> throw error(rule, val, "a number, a word such as up, or a quoted string after '" + op.text() + "'");
        }
    }
}
