package dev.sparkgate.driver.python;

import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.versions.PythonUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.InterpreterAnswer.Completeness;
import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.protocol.InterpreterAnswer.Inspection;
import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.driver.interpreter.StatementContext;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import dev.sparkgate.protocol.StatementEvent.StreamName;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Python of a session: one Python process running Sparkgate's REPL, with {@code spark}, {@code sc} and
 * {@code sqlContext} bound to this driver's own SparkSession when PySpark is there.
 *
 * <p>Cells behave as in a notebook: the value of the last expression is the result, print and stderr
 * stream out as they are written, errors come back with a traceback of the user's frames, names persist
 * between cells. {@link #interrupt()} raises KeyboardInterrupt in the running cell and cancels its Spark job
 * group; a cell that ignores it for {@link Options#interruptGrace()} has its process stopped.
 *
 * <p>When the Python process dies, the statement running in it fails with the exit code, and the next
 * statement starts a fresh Python, saying so on its stderr: earlier names are gone. If that fresh start
 * fails, the statement fails with the reason.
 */
public final class PythonInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(PythonInterpreter.class);
    private static final int LOGGED_OUTPUT_CHARS = 500;

    /**
     * @param startupTimeout how long the REPL may take to be ready (binding Spark included)
     * @param interruptGrace how long an interrupted cell may take to stop before its process is stopped
     * @param queryTimeout   how long completion and is-complete answers are waited for
     */
    public record Options(Duration startupTimeout, Duration interruptGrace, Duration queryTimeout) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }

        public Options withInterruptGrace(Duration grace) {
            return new Options(startupTimeout, grace, queryTimeout);
        }
    }

    private final DriverPython python;
    private final SessionSpec spec;
    private final SparkSession spark;
    private final Options options;
    private final ReplProgram program;
    private final PySparkGateway gateway;
    private final ScheduledExecutorService timers;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pendingQueries = new ConcurrentHashMap<>();
    private final Router router = new Router();
    private final Object lifecycle = new Object();
    private PythonProcess process;
    private boolean closed;
    private volatile RunningCell running;

    private PythonInterpreter(DriverPython python, SessionSpec spec, SparkSession spark, Options options,
                              ReplProgram program, PySparkGateway gateway) {
        this.python = python;
        this.spec = spec;
        this.spark = spark;
        this.options = options;
        this.program = program;
        this.gateway = gateway;
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "python-interrupt-timer-" + spec.id());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the session's Python with default {@link Options}. */
    public static PythonInterpreter start(SessionSpec spec, SparkSession sparkOrNull) {
        return start(spec, sparkOrNull, Options.defaults());
    }

    /**
     * Finds the session's Python ({@link DriverPython}), starts its REPL and, when {@code sparkOrNull} is
     * given and the Python has PySpark, binds {@code spark} and {@code sc} to it.
     *
     * @throws PythonUnavailableException when the Python cannot run, has a PySpark of another Spark minor, or has
     *                                    no PySpark and the session's {@code allowWithoutPySpark} is off; the
     *                                    message says what to do
     */
    public static PythonInterpreter start(SessionSpec spec, SparkSession sparkOrNull, Options options) {
        return start(DriverPython.discover(spec), spec, sparkOrNull, options);
    }

    /**
     * Like {@link #start(SessionSpec, SparkSession, Options)}, with a Python discovered already (say, for
     * the version check before executors are asked for), so that it is not probed twice.
     */
    public static PythonInterpreter start(DriverPython python, SessionSpec spec, SparkSession sparkOrNull,
                                          Options options) {
        String sparkVersion = sparkOrNull != null ? sparkOrNull.version() : org.apache.spark.package$.MODULE$.SPARK_VERSION();
        python.requirePySpark(sparkVersion, spec.python() != null && spec.python().allowWithoutPySpark());
        SparkSession spark = sparkOrNull != null && python.hasPySpark() ? sparkOrNull : null;
        if (sparkOrNull != null && spark == null) {
            log.warn("Session {}: Python without spark and sc: {}", spec.id(),
                    python.missingPySparkMessage(sparkVersion).orElse("no PySpark"));
        }
        ReplProgram program = ReplProgram.extract();
        PySparkGateway gateway = null;
        try {
            gateway = spark != null ? PySparkGateway.start(spark) : null;
            PythonInterpreter interpreter = new PythonInterpreter(python, spec, spark, options, program, gateway);
            synchronized (interpreter.lifecycle) {
                interpreter.process = interpreter.launch();
            }
            log.info("Session {}: {} ready{}", spec.id(), python, spark != null ? ", spark bound" : "");
            return interpreter;
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            program.close();
            throw e;
        }
    }

    /** The Python this interpreter runs. */
    public DriverPython python() {
        return python;
    }

    /** Whether {@code spark} and {@code sc} are bound in the namespace. */
    public boolean sparkBound() {
        return gateway != null;
    }

    private PythonProcess launch() {
        return PythonProcess.start(python, program, environment(), options.startupTimeout(), router);
    }

    /** The REPL's environment, on top of the driver's own. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        String pythonPath = python.pythonPath();
        if (pythonPath != null) {
            env.put("PYTHONPATH", pythonPath);
        }
        env.put("PYTHONIOENCODING", "utf-8");
        // Inherited by Python programs the user's code starts: their output then streams out as well.
        env.put("PYTHONUNBUFFERED", "1");
        if (System.getenv("MPLBACKEND") == null) {
            env.put("MPLBACKEND", "module://sparkgate_repl.inline_backend");
        }
        String sparkHome = spec.python() != null ? spec.python().sparkHome() : null;
        if (sparkHome != null && !sparkHome.isBlank() && System.getenv("SPARK_HOME") == null) {
            env.put("SPARK_HOME", sparkHome);
        }
        if (gateway != null) {
            env.putAll(gateway.environment());
            env.put("SPARKGATE_BIND_SPARK", "1");
            workerPython().ifPresent(worker -> env.put("PYSPARK_PYTHON", worker));
        }
        return env;
    }

    /**
     * The Python that PySpark's workers run, as spark-submit would choose it ({@code spark.pyspark.python},
     * then env {@code PYSPARK_PYTHON}); with neither, a local master's workers run the driver's own Python,
     * because they run on this machine and need the same PySpark and libraries.
     */
    private Optional<String> workerPython() {
        Map<String, String> conf = spec.sparkConf() != null ? spec.sparkConf() : Map.of();
        if (conf.get("spark.pyspark.python") != null) {
            return Optional.of(conf.get("spark.pyspark.python"));
        }
        if (System.getenv("PYSPARK_PYTHON") != null) {
            return Optional.of(System.getenv("PYSPARK_PYTHON"));
        }
        return spark.sparkContext().master().startsWith("local")
                ? Optional.of(python.executable()) : Optional.empty();
    }

    @Override
    public ExecutionResult execute(String code, StatementContext context) {
        PythonProcess repl;
        try {
            repl = liveProcess(context.err());
        } catch (PythonUnavailableException e) {
            return ExecutionResult.failure(new ErrorInfo("PythonUnavailable", e.getMessage(), List.of()));
        }
        RunningCell cell = new RunningCell(requestIds.incrementAndGet(), context, repl);
        running = cell;
        try {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("op", "execute");
            request.put("id", cell.id);
            request.put("statement", context.statementId());
            request.put("jobGroup", context.jobGroup());
            request.put("code", code);
            try {
                repl.send(request);
            } catch (IOException e) {
                cell.stoppedBecause("The driver lost its connection to the Python process (" + e.getMessage() + ")");
                repl.kill();
            }
            if (context.cancelled()) {
                // Cancelled while Python was still starting, when there was no cell to interrupt yet: the REPL
                // stops a cell whose interrupt arrives before its code does.
                interrupt();
            }
            ExecutionResult result = cell.await(this::interrupt);
            return result != null ? result : deathOf(cell, repl.exited().join());
        } finally {
            running = null;
        }
    }

    /** The process to run the next statement in: the current one, or a fresh one if it has died. */
    private PythonProcess liveProcess(PrintStream notices) {
        synchronized (lifecycle) {
            if (closed) {
                throw new PythonUnavailableException("The session's Python interpreter is closed.");
            }
            if (!process.hasExited()) {
                return process;
            }
            String ending = describeExit(process.exited().getNow(-1));
            process = launch();
            notices.println("[sparkgate] Python restarted: the previous Python process " + ending
                    + ", so everything defined before is gone.");
            notices.flush();
            log.info("Session {}: restarted Python after it {}", spec.id(), ending);
            return process;
        }
    }

    private ExecutionResult deathOf(RunningCell cell, int exitCode) {
        String reason = cell.stopReason() != null ? cell.stopReason()
                : "The Python process " + describeExit(exitCode) + " while running this statement.";
        List<String> lastWords = cell.process.stderrTail().lines().map(line -> line + "\n").toList();
        lastWords = lastWords.subList(Math.max(0, lastWords.size() - 20), lastWords.size());
        return ExecutionResult.failure(new ErrorInfo("PythonExited",
                reason + " The next statement starts a fresh Python, without the names defined so far.", lastWords));
    }

    private static String describeExit(int code) {
        // Java reports a process killed by signal N as exit code 128 + N.
        return code > 128 ? "was killed by signal " + (code - 128) + " (exit code " + code + ")"
                : "exited with code " + code;
    }

    @Override
    public void interrupt() {
        RunningCell cell = running;
        if (cell == null || cell.isDone()) {
            return;
        }
        try {
            cell.process.send(Map.of("op", "interrupt", "cell", cell.id));
        } catch (IOException e) {
            log.debug("Could not send the interrupt to Python: {}", e.toString());
        }
        String jobGroup = cell.context.jobGroup();
        if (spark != null && jobGroup != null) {
            spark.sparkContext().cancelJobGroup(jobGroup);
        }
        long graceMillis = options.interruptGrace().toMillis();
        try {
            timers.schedule(() -> {
                if (running == cell && !cell.isDone() && !cell.process.hasExited()) {
                    log.warn("Session {}: statement {} ignored the interrupt for {} ms; stopping its Python (pid {})",
                            spec.id(), cell.context.statementId(), graceMillis, cell.process.pid());
                    cell.stoppedBecause("The statement did not stop within " + graceMillis / 1000.0
                            + " s of the interrupt, so the driver stopped its Python process.");
                    cell.process.kill();
                }
            }, graceMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: close() ends the process anyway.
        }
    }

    @Override
    public Completions complete(String code, int cursor) {
        int at = clamp(code, cursor);
        JsonNode reply = query(Map.of("op", "complete", "code", code, "cursor", code.codePointCount(0, at)));
        if (reply == null || !"completion".equals(reply.path("type").asText())) {
            return Completions.none(at);
        }
        // Python counts code points, Java UTF-16 units: they differ after characters outside the BMP.
        int start = utf16Offset(code, reply.path("cursorStart").asInt(), at);
        int end = utf16Offset(code, reply.path("cursorEnd").asInt(), at);
        return new Completions(ReplMessages.strings(reply.path("candidates")), start, end);
    }

    @Override
    public Completeness checkComplete(String code) {
        JsonNode reply = query(Map.of("op", "is_complete", "code", code));
        if (reply == null || !"completeness".equals(reply.path("type").asText())) {
            return Completeness.UNKNOWN;
        }
        return switch (reply.path("status").asText()) {
            case "complete" -> Completeness.COMPLETE;
            case "incomplete" -> Completeness.incomplete(reply.path("indent").asText());
            case "invalid" -> Completeness.INVALID;
            default -> Completeness.UNKNOWN;
        };
    }

    @Override
    public Inspection inspect(String code, int cursor, int detailLevel) {
        int at = clamp(code, cursor);
        JsonNode reply = query(Map.of("op", "inspect", "code", code, "cursor", code.codePointCount(0, at),
                "detailLevel", detailLevel));
        if (reply == null || !"inspection".equals(reply.path("type").asText()) || !reply.path("found").asBoolean()) {
            return Inspection.NOTHING;
        }
        return Inspection.of(reply.path("text").asText());
    }

    /** {@code cursor} (a UTF-16 offset) kept within {@code code}, before it is counted in code points for Python. */
    private static int clamp(String code, int cursor) {
        return Math.max(0, Math.min(cursor, code.length()));
    }

    private static int utf16Offset(String code, int codePoints, int fallback) {
        try {
            return code.offsetByCodePoints(0, codePoints);
        } catch (IndexOutOfBoundsException e) {
            return fallback;
        }
    }

    /** Asks the REPL something that its reader thread answers, even while a cell runs; null if no answer. */
    private JsonNode query(Map<String, Object> question) {
        PythonProcess repl;
        synchronized (lifecycle) {
            repl = closed || process.hasExited() ? null : process;
        }
        if (repl == null) {
            return null;
        }
        long id = requestIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pendingQueries.put(id, answer);
        try {
            Map<String, Object> request = new HashMap<>(question);
            request.put("id", id);
            repl.send(request);
            return answer.get(options.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("No answer from Python to {}: {}", question.get("op"), e.toString());
            return null;
        } finally {
            pendingQueries.remove(id);
        }
    }

    @Override
    public void close() {
        PythonProcess last;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            last = process;
        }
        RunningCell cell = running;
        if (cell != null) {
            cell.stoppedBecause("The session's Python interpreter was closed.");
        }
        if (last != null) {
            last.stop(Duration.ofSeconds(2));
        }
        timers.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        program.close();
        log.info("Session {}: Python stopped", spec.id());
    }

    /** Sends what the REPL says to the statement it belongs to; what belongs to none goes to the log. */
    private final class Router implements PythonProcess.Listener {

        @Override
        public void onMessage(PythonProcess from, JsonNode message) {
            String type = message.path("type").asText();
            switch (type) {
                case "stream" -> {
                    RunningCell cell = cellOf(from, message.path("cell"));
                    StreamName name = "stderr".equals(message.path("name").asText()) ? StreamName.stderr : StreamName.stdout;
                    write(cell, from, name, message.path("text").asText());
                }
                case "display" -> {
                    RunningCell cell = cellOf(from, message.path("cell"));
                    Map<String, Object> data = ReplMessages.bundle(message.path("data"));
                    String displayId = message.path("displayId").isTextual() ? message.path("displayId").asText() : null;
                    if (cell != null) {
                        cell.context.display(data, displayId);
                    } else {
                        log.info("Python display outside a statement (pid {}), MIME types {}", from.pid(), data.keySet());
                    }
                }
                case "result" -> {
                    RunningCell cell = cellOf(from, message.path("id"));
                    if (cell != null) {
                        cell.finish("ok".equals(message.path("status").asText())
                                ? ExecutionResult.value(ReplMessages.bundle(message.path("data")))
                                : ExecutionResult.failure(ReplMessages.error(message)));
                    }
                }
                default -> {
                    CompletableFuture<JsonNode> query = pendingQueries.get(message.path("id").asLong(-1));
                    if (query != null) {
                        query.complete(message);
                    } else {
                        log.debug("Unexpected message from Python: {}", type);
                    }
                }
            }
        }

        @Override
        public void onOutput(PythonProcess from, StreamName name, String text) {
            RunningCell cell = running;
            write(cell != null && cell.process == from ? cell : null, from, name, text);
        }

        @Override
        public void onFence(PythonProcess from, StreamName name, long cellId) {
            RunningCell cell = running;
            if (cell != null && cell.process == from && cell.id == cellId) {
                cell.fenceReached();
            }
        }

        private RunningCell cellOf(PythonProcess from, JsonNode id) {
            RunningCell cell = running;
            return cell != null && cell.process == from && id.isNumber() && id.asLong() == cell.id ? cell : null;
        }

        private void write(RunningCell cell, PythonProcess from, StreamName name, String text) {
            if (cell == null) {
                String shown = text.strip();
                if (!shown.isEmpty()) {
                    log.info("Python {} outside a statement (pid {}): {}", name, from.pid(),
                            shown.length() > LOGGED_OUTPUT_CHARS ? shown.substring(0, LOGGED_OUTPUT_CHARS) + "..." : shown);
                }
                return;
            }
            PrintStream stream = name == StreamName.stderr ? cell.context.err() : cell.context.out();
            stream.print(text);
            stream.flush();
        }
    }
}
