package io.github.wardops.ward.internal.alert;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed rule condition: a tree of boolean nodes over comparisons. Immutable and thread-safe.
 * Evaluation is three-valued (Kleene): a comparison with a missing variable is unknown, and a
 * rule holds only when its condition is {@link Tri#TRUE}.
 */
public sealed interface Expr {

    /** A three-valued truth. */
    enum Tri {
        /** Holds. */
        TRUE,
        /** Does not hold. */
        FALSE,
        /** Cannot be told (a variable is missing). */
        UNKNOWN;

        static Tri of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    /** Variables a condition reads; implementations return {@code null} for a missing one. */
    interface Vars {
        /**
         * A numeric variable.
         *
         * @param name the name
         * @return the value, or null
         */
        Double number(String name);

        /**
         * A word variable (such as {@code if_oper_status}).
         *
         * @param name the name
         * @return the lower-case word, or null
         */
        String word(String name);
    }

    /**
     * Evaluates the condition.
     *
     * @param vars the variables
     * @return the truth
     */
    Tri eval(Vars vars);

    /**
     * Adds the variable names the condition reads.
     *
     * @param out where to add them
     */
    void variables(Set<String> out);

    /** Comparison operators. */
    enum Op {
        /** Greater than. */ GT(">"),
        /** Greater or equal. */ GE(">="),
        /** Less than. */ LT("<"),
        /** Less or equal. */ LE("<="),
        /** Equal. */ EQ("=="),
        /** Not equal. */ NE("!=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(int cmp) {
            return switch (this) {
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
            };
        }
    }

    /**
     * {@code variable op number}.
     *
     * @param variable the variable
     * @param op the operator
     * @param value the number
     */
    record NumberCompare(String variable, Op op, double value) implements Expr {
        @Override
        public Tri eval(Vars vars) {
            Double v = vars.number(variable);
            if (v == null) {
                return Tri.UNKNOWN;
            }
            return Tri.of(op.test(Double.compare(v, value)));
        }

        @Override
        public void variables(Set<String> out) {
            out.add(variable);
        }
    }

    /**
     * {@code variable == word} or {@code variable != word}, compared case-insensitively.
     *
     * @param variable the variable
     * @param op EQ or NE
     * @param word the lower-case word
     */
    record WordCompare(String variable, Op op, String word) implements Expr {
        @Override
        public Tri eval(Vars vars) {
            String v = vars.word(variable);
            if (v == null) {
                return Tri.UNKNOWN;
            }
            boolean eq = v.toLowerCase(Locale.ROOT).equals(word);
            return Tri.of(op == Op.EQ ? eq : !eq);
        }

        @Override
        public void variables(Set<String> out) {
            out.add(variable);
        }
    }

    /**
     * Both hold.
     *
     * @param left the left side
     * @param right the right side
     */
    record And(Expr left, Expr right) implements Expr {
        @Override
        public Tri eval(Vars vars) {
            Tri a = left.eval(vars);
            if (a == Tri.FALSE) {
                return Tri.FALSE;
            }
            Tri b = right.eval(vars);
            if (b == Tri.FALSE) {
                return Tri.FALSE;
            }
            return a == Tri.TRUE && b == Tri.TRUE ? Tri.TRUE : Tri.UNKNOWN;
        }

        @Override
        public void variables(Set<String> out) {
            left.variables(out);
            right.variables(out);
        }
    }

    /**
     * Either holds.
     *
     * @param left the left side
     * @param right the right side
     */
    record Or(Expr left, Expr right) implements Expr {
        @Override
        public Tri eval(Vars vars) {
            Tri a = left.eval(vars);
            if (a == Tri.TRUE) {
                return Tri.TRUE;
            }
            Tri b = right.eval(vars);
            if (b == Tri.TRUE) {
                return Tri.TRUE;
            }
            return a == Tri.FALSE && b == Tri.FALSE ? Tri.FALSE : Tri.UNKNOWN;
        }

        @Override
        public void variables(Set<String> out) {
            left.variables(out);
            right.variables(out);
        }
    }

    /**
     * Negation.
     *
     * @param inner the negated condition
     */
    record Not(Expr inner) implements Expr {
        @Override
        public Tri eval(Vars vars) {
            return switch (inner.eval(vars)) {
                case TRUE -> Tri.FALSE;
                case FALSE -> Tri.TRUE;
                case UNKNOWN -> Tri.UNKNOWN;
            };
        }

        @Override
        public void variables(Set<String> out) {
            inner.variables(out);
        }
    }

    /**
     * A whole rule: a condition that must hold for a duration (zero: at once).
     *
     * @param condition the condition
     * @param holdFor how long it must hold
     */
    record Rule(Expr condition, Duration holdFor) {
    }
}
