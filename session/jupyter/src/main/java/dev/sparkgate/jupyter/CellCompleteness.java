package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.InterpreterAnswer.Completeness;
import dev.sparkgate.protocol.Kind;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a Scala or SQL cell is whole, judged from its brackets, strings and comments: Jupyter consoles ask this on
 * every Enter, and Sparkgate's Scala and SQL interpreters answer {@code unknown}. A bracket closed that was never
 * opened is {@code invalid}; an open bracket, string or comment, or a Scala line ending in an operator, is
 * {@code incomplete}. Python's interpreter answers for itself, so Python gets {@code unknown} here.
 */
public final class CellCompleteness {

    private CellCompleteness() {
    }

    public static Completeness judge(Kind kind, String code) {
        return switch (kind) {
            case spark -> new Scanner(code, true).verdict();
            case sql -> new Scanner(code, false).verdict();
            default -> Completeness.UNKNOWN;
        };
    }

    /** One pass over the cell, tracking open brackets and whether it ends inside a string or comment. */
    private static final class Scanner {
        private final String code;
        private final boolean scala;
        private final Deque<Character> open = new ArrayDeque<>();
        private char lastSignificant;

        Scanner(String code, boolean scala) {
            this.code = code;
            this.scala = scala;
        }

        Completeness verdict() {
            int i = 0;
            int n = code.length();
            while (i < n) {
                char c = code.charAt(i);
                if (code.startsWith("//", i) && scala || code.startsWith("--", i) && !scala) {
                    int end = code.indexOf('\n', i);
                    i = end < 0 ? n : end;
                } else if (code.startsWith("/*", i)) {
                    int end = code.indexOf("*/", i + 2);
                    if (end < 0) {
                        return incomplete();
                    }
                    i = end + 2;
                } else if (scala && code.startsWith("\"\"\"", i)) {
                    int end = code.indexOf("\"\"\"", i + 3);
                    if (end < 0) {
                        return incomplete();
                    }
                    i = end + 3;
                    lastSignificant = '"';
                } else if (c == '"' || c == '`' || (c == '\'' && (!scala || isCharLiteral(i)))) {
                    int end = closingQuote(i, c);
                    if (end < 0) {
                        return incomplete();
                    }
                    i = end + 1;
                    lastSignificant = c;
                } else {
                    if (c == '(' || c == '[' || c == '{') {
                        open.push(c);
                    } else if (c == ')' || c == ']' || c == '}') {
                        if (open.isEmpty() || open.pop() != opener(c)) {
                            return Completeness.INVALID;
                        }
                    }
                    if (!Character.isWhitespace(c)) {
                        lastSignificant = c;
                    }
                    i++;
                }
            }
            if (!open.isEmpty()) {
                return incomplete();
            }
            if (scala && lastSignificant != 0 && "=+-*/%&|^<>,.:".indexOf(lastSignificant) >= 0) {
                return incomplete();
            }
            if (!scala && lastSignificant == ',') {
                return incomplete();
            }
            return Completeness.COMPLETE;
        }

        private Completeness incomplete() {
            return Completeness.incomplete("  ".repeat(Math.max(1, open.size())));
        }

        /** In Scala a single quote also starts a symbol ({@code 'name}); only {@code 'x'} and {@code '\n'} are chars. */
        private boolean isCharLiteral(int at) {
            return at + 2 < code.length() && code.charAt(at + 2) == '\''
                    || at + 1 < code.length() && code.charAt(at + 1) == '\\';
        }

        /** Where the quote opened at {@code start} closes: a backslash escapes, and SQL doubles a quote to escape it. */
        private int closingQuote(int start, char quote) {
            for (int i = start + 1; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    if (!scala && i + 1 < code.length() && code.charAt(i + 1) == quote) {
                        i++;
                    } else {
                        return i;
                    }
                } else if (c == '\n' && scala && quote == '"') {
                    return -1;
                }
            }
            return -1;
        }

        private static char opener(char closer) {
            return closer == ')' ? '(' : closer == ']' ? '[' : '{';
        }
    }
}
