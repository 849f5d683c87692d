package dev.sparkgate.driver.scala;

import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.driver.interpreter.StatementContext;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scala cells, through Spark's embedded REPL compiler ({@code IMain}) with {@code spark} and {@code sc} bound.
 * Class-based wrappers and a shared output directory let closures defined in cells run on executors; that directory
 * must be Spark's {@code spark.repl.class.outputDir}, set before the SparkContext started.
 *
 * <p>Everything here is the same on every Spark line and compiled into each driver runtime against its Scala; what
 * differs between Scala 2.12's and 2.13's REPL (making it, completion, the error format) is {@link ReplCompiler}, which
 * each runtime has in its own form.
 */
public final class ScalaInterpreter implements Interpreter {

    /** How long a cancelled cell may ignore its interrupt before its thread is stopped (a busy loop never checks). */
    private static final long STOP_AFTER_MILLIS = 3000;

    private final ReplCompiler compiler;
    private final ReplSession repl;
    private final StringWriter echo;
    private final ReentrantLock busy = new ReentrantLock();
    /** Until the warm-up has run, a completion waits for the cell lock rather than giving up at once. */
    private volatile boolean warmedUp;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scala-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile Thread runner;
    /** Counts cells, so a stop meant for one cell never hits the next one that runs on the same thread. */
    private final java.util.concurrent.atomic.AtomicLong cells = new java.util.concurrent.atomic.AtomicLong();
    /** Held while deciding to stop the thread, so it is stopped only while it is inside the cell's code. */
    private final Object stopGuard = new Object();
    private boolean inCell;
    /** Where the watchdog found the cell's thread when it stopped it: ThreadDeath itself carries the watchdog's. */
    private volatile StackTraceElement[] stoppedAt;

    private ScalaInterpreter(ReplCompiler compiler, StringWriter echo) {
        this.compiler = compiler;
        this.repl = compiler.session();
        this.echo = echo;
    }

    /**
     * Scala's compiler, with {@code spark}, {@code sc} and the shell's imports bound: in one compiled request, not one
     * per name and import as Spark's shell does, since on a cold compiler each request costs a compile run of its own
     * and the user's first Scala cell waits for them all. {@code spark} is the driver's one SparkSession, its default.
     */
    public static ScalaInterpreter start(SparkSession spark, Path classOutputDir) {
        StringWriter echo = new StringWriter();
        ReplCompiler compiler = ReplCompiler.start(classOutputDir, new PrintWriter(echo, true));
        ReplSession repl = compiler.session();
        SparkSession.setDefaultSession(spark);
        ReplSession.Outcome bound = repl.interpret(String.join("\n",
                "@transient val spark: " + SparkSession.class.getName() + " = " + SparkSession.class.getName()
                        + ".getDefaultSession.get",
                "@transient val sc: " + org.apache.spark.SparkContext.class.getName() + " = spark.sparkContext",
                "import org.apache.spark.SparkContext._",
                "import spark.implicits._",
                "import spark.sql",
                "import org.apache.spark.sql.functions._"));
        if (bound != ReplSession.Outcome.SUCCESS) {
            throw new IllegalStateException("Scala's REPL could not bind spark and sc: " + echo);
        }
        echo.getBuffer().setLength(0);
        return new ScalaInterpreter(compiler, echo);
    }

    /**
     * Compiles a small object outside the session's namespace, so the user's first cell does not pay for loading and
     * JIT-compiling the compiler's parser, typer and back end. {@code compileString} binds no name and takes no
     * {@code res} number (the user's first value is still {@code res0}); what the compiler reports is cleared, never
     * shown. Holds the cell lock: a cell that comes meanwhile waits for it rather than racing IMain.
     */
    public void warmUp() {
        busy.lock();
        try {
            repl.compileString("object SparkgateCompilerWarmUp { def sum: Int = Seq(1, 2, 3).map(_ * 2).sum }");
        } finally {
            echo.getBuffer().setLength(0);
            warmedUp = true;
            busy.unlock();
        }
    }

    @Override
    public ExecutionResult execute(String code, StatementContext context) {
        busy.lock();
        cells.incrementAndGet();
        runner = Thread.currentThread();
        try {
            // A cancel that came before this thread was known to interrupt() must still stop the cell.
            if (context.cancelled()) {
                return ExecutionResult.failure(new ErrorInfo("Cancelled", "Cancelled before it started.", List.of()));
            }
            echo.getBuffer().setLength(0);
            stoppedAt = null;
            Object exceptionBefore = repl.lastException();
            ReplSession.Outcome result;
            synchronized (stopGuard) {
                inCell = true;
            }
            try {
                result = repl.interpret(code);
            } finally {
                synchronized (stopGuard) {
                    inCell = false;
                }
            }
            String echoed = echo.toString();
            if (result == ReplSession.Outcome.SUCCESS) {
                return ExecutionResult.value(echoed.isEmpty() ? Map.of() : Map.of(Mime.TEXT, echoed));
            }
            if (result == ReplSession.Outcome.INCOMPLETE) {
                return ExecutionResult.failure(new ErrorInfo("Incomplete",
                        "The cell ends before its code does: close every brace, parenthesis and string.", List.of()));
            }
            StackTraceElement[] stopped = stoppedAt;
            if (stopped != null) {
                // IMain reports a stopped thread as it likes (often as a compile error, lastException unbound).
                return ExecutionResult.failure(stoppedHere(stopped));
            }
            Object exception = repl.lastException();
            if (exception instanceof Throwable thrown && exception != exceptionBefore) {
                return ExecutionResult.failure(describe(thrown));
            }
            return ExecutionResult.failure(compileError(echoed));
        } finally {
            runner = null;
            Thread.interrupted();
            busy.unlock();
        }
    }

    private static ErrorInfo compileError(String output) {
        String message = ReplCompiler.firstError(output).orElse(output.strip());
        return new ErrorInfo("CompileError", message, Arrays.asList(output.stripTrailing().split("\n")));
    }

    /** A cell whose thread had to be stopped: where it was, down to the user's line. */
    static ErrorInfo stoppedHere(StackTraceElement[] frames) {
        List<String> traceback = new ArrayList<>();
        traceback.add("java.lang.ThreadDeath: the cell ignored its interrupt for " + STOP_AFTER_MILLIS / 1000
                + " s, so its thread was stopped here");
        for (StackTraceElement frame : frames) {
            traceback.add("  at " + frame);
            if (frame.getClassName().startsWith("$line")) {
                break;
            }
        }
        return new ErrorInfo("java.lang.ThreadDeath", "the cell ignored its interrupt for " + STOP_AFTER_MILLIS / 1000
                + " s, so its thread was stopped", traceback);
    }

    /** The exception and its causes, with the frames of the REPL's own machinery cut off below the user's line. */
    static ErrorInfo describe(Throwable thrown) {
        Throwable t = unwrap(thrown);
        List<String> traceback = new ArrayList<>();
        traceback.add(t.toString());
        for (Throwable current = t; current != null; current = current.getCause()) {
            if (current != t) {
                traceback.add("Caused by: " + current);
            }
            for (StackTraceElement frame : current.getStackTrace()) {
                traceback.add("  at " + frame);
                if (frame.getClassName().startsWith("$line")) {
                    break;
                }
            }
        }
        return new ErrorInfo(t.getClass().getName(), String.valueOf(t.getMessage()), traceback);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.lang.reflect.InvocationTargetException || t instanceof ExceptionInInitializerError)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public Completions complete(String code, int cursor) {
        // The compiler is not thread-safe: while a cell runs there is nothing to offer. The warm-up, though, ends in
        // moments and a completion asked right after the session went idle (Tab on a fresh notebook) should wait for
        // it, within the gateway's 10 s for an answer.
        try {
            if (!busy.tryLock(warmedUp ? 200 : 8_000, TimeUnit.MILLISECONDS)) {
                return Completions.none(cursor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Completions.none(cursor);
        }
        try {
            return compiler.complete(code, cursor);
        } finally {
            busy.unlock();
        }
    }

    @Override
    @SuppressWarnings("removal")
    public void interrupt() {
        Thread thread = runner;
        long cell = cells.get();
        if (thread == null) {
            return;
        }
        thread.interrupt();
        watchdog.schedule(() -> {
            synchronized (stopGuard) {
                if (inCell && runner == thread && cells.get() == cell) {
                    // Scala code in a busy loop never looks at its interrupt flag; on Java 17 stop() still ends
                    // it, and IMain catches the ThreadDeath like any exception of the cell.
                    stoppedAt = thread.getStackTrace();
                    thread.stop();
                }
            }
        }, STOP_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        repl.close();
    }
}
