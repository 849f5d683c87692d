package dev.sparkgate.driver;

import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.driver.python.PythonInterpreter;
import dev.sparkgate.driver.scala.ScalaInterpreter;
import dev.sparkgate.driver.sql.SqlInterpreter;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interpreters of one session, one per language, all bound to the session's single SparkSession. The slow
 * ones start in the background as soon as Spark is up, so the session reports idle early; a statement that
 * needs one still starting waits for it.
 */
final class Interpreters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Interpreters.class);
    private static final Executor WARM_UP = runnable -> {
        Thread thread = new Thread(runnable, "interpreter-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    };

    private final Map<Kind, CompletableFuture<Interpreter>> started = new EnumMap<>(Kind.class);
    /** Kinds a user's cell has run: their warm-up is pointless now (that cell paid for it), so it is skipped. */
    private final Set<Kind> used = ConcurrentHashMap.newKeySet();
    /** Users' cells running now: a warm-up not yet begun waits for them, so it never slows a user's first cell. */
    private final AtomicInteger cellsRunning = new AtomicInteger();
    /** Done when every warm-up has run and Python has started (or failed to): what a pooled driver waits for. */
    private final CompletableFuture<Void> warm;

    /** {@code python} is the session's driver Python when its kind uses Python, else null. */
    Interpreters(SessionSpec spec, SparkSession spark, Path scalaClassDir, DriverPython python) {
        SqlInterpreter sql = new SqlInterpreter(spark, spec.sqlRowCap());
        started.put(Kind.sql, CompletableFuture.completedFuture(sql));
        // The warm-ups start as the driver reports ready, on their own thread: they take nothing from idle, only from
        // the user's first SQL and Scala cells, which would otherwise pay for them. One after the other, Scala's first
        // (its REPL starts first anyway): on two cores a SQL warm-up beside the REPL's start would slow a first Scala
        // cell by as much as it saves a first SQL one.
        CompletableFuture<Void> warmUps;
        if (spec.kind() == Kind.spark || spec.kind() == Kind.shared) {
            // After Spark, on its own thread: beside Spark's start on two cores it only made a session idle later
            // (bench/results/cold-start.md), and a first Scala cell waits for the compiler either way.
            CompletableFuture<ScalaInterpreter> scala = CompletableFuture.supplyAsync(() -> {
                ScalaInterpreter interpreter = ScalaInterpreter.start(spark, scalaClassDir);
                LOG.info("Scala's REPL is up, {} ms after the JVM started",
                        ManagementFactory.getRuntimeMXBean().getUptime());
                return interpreter;
            });
            started.put(Kind.spark, scala.thenApply(interpreter -> interpreter));
            warmUps = scala.thenAcceptAsync(interpreter -> warmUp(Kind.spark, "Scala", interpreter::warmUp), WARM_UP);
        } else {
            warmUps = CompletableFuture.completedFuture(null);
        }
        // after Scala's, whether or not its REPL started
        CompletableFuture<Void> sqlWarm = warmUps.handleAsync((done, failed) -> {
            warmUp(Kind.sql, "SQL", sql::warmUp);
            return null;
        }, WARM_UP);
        CompletableFuture<?> pythonStarted = CompletableFuture.completedFuture(null);
        if (python != null) {
            CompletableFuture<Interpreter> pythonInterpreter = CompletableFuture.supplyAsync(() ->
                    PythonInterpreter.start(python, spec, spark, PythonInterpreter.Options.defaults()));
            started.put(Kind.pyspark, pythonInterpreter);
            pythonStarted = pythonInterpreter;
        }
        warm = CompletableFuture.allOf(sqlWarm, pythonStarted.handle((done, failed) -> null));
    }

    /** Completes when the warm-ups have run and Python is up or failed: never exceptionally. */
    CompletableFuture<Void> warm() {
        return warm;
    }

    /** A warm-up that fails costs only speed: the first cell then pays as it would have. */
    private void warmUp(Kind kind, String what, Runnable warmUp) {
        // The warm-up yields to users: it waits while their cells run, and a cell of its own kind makes it pointless.
        // One already compiling cannot yield (IMain is not interruptible safely): a Scala cell then waits for it, which
        // costs that cell what compiling first would have, less what the warm-up had done.
        try {
            while (cellsRunning.get() > 0 && !used.contains(kind)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (used.contains(kind)) {
            LOG.info("The {} warm-up is skipped: a user's {} cell ran first", what, what);
            return;
        }
        long t0 = System.nanoTime();
        try {
            warmUp.run();
            // What a first cell would otherwise pay (or waits for, if it comes meanwhile): the figure issue 18 asks for.
            LOG.info("The {} warm-up took {} ms", what, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("The {} warm-up failed ({}); the first {} cell starts cold", what, e.toString(), what);
        }
    }

    /** A user's cell of {@code kind} starts: warm-ups yield to it ({@link #cellEnded()} when it ends). */
    void cellStarting(Kind kind) {
        used.add(kind);
        cellsRunning.incrementAndGet();
    }

    void cellEnded() {
        cellsRunning.decrementAndGet();
    }

    /** The interpreter for statements of {@code kind}, waiting for it to finish starting. */
    Interpreter forKind(Kind kind) {
        CompletableFuture<Interpreter> interpreter = started.get(kind);
        if (interpreter == null) {
            throw new IllegalArgumentException("This session has no " + kind + " interpreter; "
                    + "create a session of kind " + kind + " or shared.");
        }
        try {
            return interpreter.join();
        } catch (CompletionException e) {
            // The cause's message says what to set (a Python without PySpark, say): pass it on as it is.
            throw new IllegalStateException("The " + kind + " interpreter could not start: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The interpreter for {@code kind} if it is up, without waiting. */
    Optional<Interpreter> ifStarted(Kind kind) {
        CompletableFuture<Interpreter> interpreter = started.get(kind);
        return interpreter != null && interpreter.isDone() && !interpreter.isCompletedExceptionally()
                ? Optional.of(interpreter.join()) : Optional.empty();
    }

    @Override
    public void close() {
        started.values().forEach(f -> {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.join().close();
            }
        });
    }
}
