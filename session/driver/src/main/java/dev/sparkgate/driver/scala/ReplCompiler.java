package dev.sparkgate.driver.scala;

import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.Completion.Candidates;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.PresentationCompilerCompleter;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of the Scala REPL differs per driver runtime, in its Scala 2.12 form (Spark's {@code spark-repl_2.12}): how the
 * class-based {@code IMain} is made, writing its classes where executors fetch them; completion; the compiler's error
 * format. The Spark 4.1 runtime (module {@code session/driver-spark41}) has its own class of this name for Scala
 * 2.13, with the same API; {@link ReplSession} and everything else of the driver are the same source in both.
 */
final class ReplCompiler {

    private static final Pattern COMPILE_ERROR = Pattern.compile("<(?:console|pastie)>:\\d+: error: (.*)");

    private final ReplSession session;
    private final PresentationCompilerCompleter completer;

    private ReplCompiler(IMain repl) {
        this.session = new ReplSession(repl);
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

    ReplSession session() {
        return session;
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
}
