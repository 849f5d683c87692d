package dev.sparkgate.driver.scala;

import scala.Option;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * A running Scala REPL ({@code IMain}) as {@link ScalaInterpreter} drives it: what reads the same on Scala 2.12 and
 * 2.13. This source is compiled into each driver runtime against that runtime's Scala; how an {@code IMain} is made,
 * completion and the compiler's error format differ between the lines and are {@link ReplCompiler}'s.
 */
final class ReplSession {

    enum Outcome { SUCCESS, INCOMPLETE, ERROR }

    private final IMain repl;

    ReplSession(IMain repl) {
        this.repl = repl;
    }

    IMain repl() {
        return repl;
    }

    Outcome interpret(String code) {
        Results.Result result = repl.interpret(code);
        if (result instanceof Results.Success$) {
            return Outcome.SUCCESS;
        }
        return result instanceof Results.Incomplete$ ? Outcome.INCOMPLETE : Outcome.ERROR;
    }

    /** Compiles without binding a name or taking a {@code res} number. */
    void compileString(String code) {
        repl.compileString(code);
    }

    /** The exception the last cell threw, or null. */
    Object lastException() {
        Option<Object> value = repl.valueOfTerm("lastException");
        return value.isDefined() ? value.get() : null;
    }

    void close() {
        repl.close();
    }
}
