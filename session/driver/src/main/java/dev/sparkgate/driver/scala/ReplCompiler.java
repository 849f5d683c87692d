package dev.sparkgate.driver.scala;

import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import scala.Option;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.Completion.Candidates;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.PresentationCompilerCompleter;
import scala.tools.nsc.interpreter.Results;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Scala compiler of this driver runtime, as {@link ScalaInterpreter} uses it: Scala 2.12's REPL ({@code IMain}
 * from Spark's {@code spark-repl_2.12}), class-based, writing its classes where executors fetch them. The Spark 4.1
 * runtime (module {@code session/driver-spark41}) has its own class of this name for Scala 2.13; the two keep this
 * API, and nothing else of the driver differs between them.
 */
final class ReplCompiler {

    enum Outcome { SUCCESS, INCOMPLETE, ERROR }

    private static final Pattern COMPILE_ERROR = Pattern.compile("<(?:console|pastie)>:\\d+: error: (.*)");

    private final IMain repl;
    private final PresentationCompilerCompleter completer;

    private ReplCompiler(IMain repl) {
        this.repl = repl;
        this.completer = new PresentationCompilerCompleter(repl);
    }

    /** A class-based REPL writing its classes to {@code classOutputDir} and what it prints to {@code out}. */
    static ReplCompiler start(Path classOutputDir, PrintWriter out) {
        Settings settings = new Settings();
        settings.processArguments(JavaConverters.asScalaBuffer(List.of(
                "-Yrepl-class-based", "-Yrepl-outdir", classOutputDir.toString(), "-usejavacp")).toList(), true);
        IMain repl = new IMain(settings, out);
        repl.initializeSynchronous();
        return new ReplCompiler(repl);
    }

    /** Binds {@code name} as a {@code @transient} field, so closures that mention it do not serialize it. */
    void bindTransient(String name, String type, Object value) {
        repl.bind(name, type, value, JavaConverters.asScalaBuffer(List.of("@transient")).toList());
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

    Completions complete(String code, int cursor) {
        Candidates candidates = completer.complete(code, cursor);
        List<String> names = new ArrayList<>(JavaConverters.seqAsJavaList(candidates.candidates()));
        names.removeIf(String::isBlank);
        return new Completions(names.stream().distinct().toList(), candidates.cursor(), cursor);
    }

    /** The first compile error's message in what the compiler printed, as 2.12 prints it. */
    static Optional<String> firstError(String output) {
        Matcher first = COMPILE_ERROR.matcher(output);
        return first.find() ? Optional.of(first.group(1)) : Optional.empty();
    }

    void close() {
        repl.close();
    }
}
