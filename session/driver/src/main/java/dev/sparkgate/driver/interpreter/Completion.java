package dev.sparkgate.driver.interpreter;

import java.util.List;

/** Completion candidates; each replaces the text between {@code cursorStart} and {@code cursorEnd}. */
public record Completion(List<String> candidates, int cursorStart, int cursorEnd) {

    public static Completion none(int cursor) {
        return new Completion(List.of(), cursor, cursor);
    }
}
