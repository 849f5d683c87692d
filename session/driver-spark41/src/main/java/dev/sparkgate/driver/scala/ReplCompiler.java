package dev.sparkgate.driver.scala;

import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import scala.jdk.javaapi.CollectionConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.CompletionCandidate;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.shell.Accumulator;
import scala.tools.nsc.interpreter.shell.CompletionResult;
import scala.tools.nsc.interpreter.shell.ReplCompletion;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of the Scala REPL differs per driver runtime, in its Scala 2.13 form: {@code IMain} with the shell's reporter
 * and completion, all in {@code scala-compiler}, since no {@code spark-repl_2.13} is served here. Spark's own 2.13
 * REPL ({@code repl/src/main/scala-2.13}) is built the same way: class-based ({@code -Yrepl-class-based}), its classes
 * in {@code -Yrepl-outdir}, the directory the driver gives Spark as {@code spark.repl.class.outputDir}; Spark serves it
 * as {@code spark.repl.class.uri} and executors load cells' classes from there with
 * {@code org.apache.spark.executor.ExecutorClassLoader}, in {@code spark-core} since 3.5, so executors need nothing of
 * the REPL. Same API as the 2.12 class of this name in {@code session/driver}.
 */
final class ReplCompiler {

    /** 2.13 prints a cell's compile error as {@code error: ...} under the caret, or {@code On line 2: error: ...}. */
    private static final Pattern COMPILE_ERROR =
            Pattern.compile("^\\s*(?:On line \\d+: |<(?:console|pastie)>:\\d+: )?error: (.*)", Pattern.MULTILINE);

    private final ReplSession session;
    private final ReplCompletion completer;

    private ReplCompiler(IMain repl) {
        this.session = new ReplSession(repl);
        this.completer = new ReplCompletion(repl, new Accumulator());
    }

    /** A class-based REPL writing its classes to {@code classOutputDir} and what it prints to {@code out}. */
    static ReplCompiler start(Path classOutputDir, PrintWriter out) {
        Settings settings = new Settings();
        settings.processArguments(CollectionConverters.asScala(List.of(
                "-Yrepl-class-based", "-Yrepl-outdir", classOutputDir.toString(), "-usejavacp")).toList(), true);
        IMain repl = new IMain(settings, new ReplReporterImpl(settings, out));
        repl.initializeCompiler();
        return new ReplCompiler(repl);
    }

    ReplSession session() {
        return session;
    }

    Completions complete(String code, int cursor) {
        CompletionResult result = completer.complete(code, cursor);
        List<String> names = CollectionConverters.asJava(result.candidates()).stream()
                .map(CompletionCandidate::name).filter(name -> !name.isBlank()).distinct().toList();
        return new Completions(names, result.cursor(), cursor);
    }

    /** The first compile error's message in what the compiler printed. */
    static Optional<String> firstError(String output) {
        Matcher first = COMPILE_ERROR.matcher(output);
        return first.find() ? Optional.of(first.group(1)) : Optional.empty();
    }
}
