package dev.sparkgate.driver;

import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.driver.output.OutputRouter;
import dev.sparkgate.versions.DriverPython;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.PoolClaim;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.StatementEvent;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main program of a session's driver JVM. The gateway starts it with the session's spec and a secret, it dials
 * back, starts Spark in client mode, and then runs what the gateway sends until told to stop. It outlives its gateway:
 * when the link drops it keeps running its statements and their events ({@link EventLog}) and dials again, and a
 * gateway that comes back (the same one, or a restarted one) takes the events it missed. With no gateway for
 * {@value #ENV_ORPHAN_TIMEOUT} it stops Spark (its executors go with it) and exits, so nothing is left running.
 */
public final class SessionDriver {

    /** Environment the gateway sets for the driver: kept out of the command line, where any user could read it. */
    public static final String ENV_GATEWAY_URL = "SPARKGATE_DRIVER_LINK";
    /**
     * The file holding the session's secret (mode 0600 in the driver's work dir locally, a mounted Secret in a pod):
     * never the secret itself in the environment, which every cell can print.
     */
    public static final String ENV_SECRET_FILE = "SPARKGATE_SESSION_SECRET_FILE";
    public static final String ENV_SPEC = "SPARKGATE_SESSION_SPEC";
    /** How long the driver tries to dial the gateway before it gives up: {@code 30s}, {@code 2m}, or seconds. */
    public static final String ENV_CONNECT_TIMEOUT = "SPARKGATE_DRIVER_CONNECT_TIMEOUT";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a driver whose gateway went away waits for one to come back before it stops: as Livy's drivers do. */
    public static final String ENV_ORPHAN_TIMEOUT = "SPARKGATE_DRIVER_ORPHAN_TIMEOUT";
    static final Duration DEFAULT_ORPHAN_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Set instead of the link, the secret and a session's spec: the driver is pooled. It starts Spark and warms its
     * interpreters with the pool's spec, then waits for this file ({@link PoolClaim}) to name its session.
     */
    public static final String ENV_POOL_CLAIM_FILE = "SPARKGATE_POOL_CLAIM_FILE";
    /** A pooled driver's gateway: when it is gone before any session took the driver, the driver exits. */
    public static final String ENV_POOL_GATEWAY_PID = "SPARKGATE_POOL_GATEWAY_PID";
    /**
     * Set instead of {@link #ENV_POOL_CLAIM_FILE} in a pooled driver pod: the claim comes as an annotation of the pod
     * itself ({@link PodClaims}), and the session's secret is the pod's own secret file ({@link #ENV_SECRET_FILE}).
     */
    public static final String ENV_POOL_CLAIM_POD = "SPARKGATE_POOL_CLAIM_POD";
    /** Written beside the claim file once a pooled driver is warm, so its gateway hands out warm drivers first. */
    public static final String POOL_WARM_FILE = "warm";
    /** Events kept for a gateway that comes back (see {@link EventLog} for what goes first beyond it). */
    static final int KEPT_EVENTS = 50_000;

    /** The session's; a pooled driver's is the pool's until a session takes it. */
    private volatile SessionSpec spec;
    private final OutputRouter router;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService questions = Executors.newSingleThreadExecutor(StatementRunner.daemon("questions"));
    private volatile GatewayLink link;
    private volatile StatementRunner runner;
    private volatile Interpreters interpreters;
    private volatile DriverPython python;
    private final EventLog events = new EventLog(KEPT_EVENTS);
    private final StartPhases phases = new StartPhases();
    /** What the driver reports when a gateway resumes its link; null until Spark is up. */
    private volatile DriverInfo ready;
    /** Started for the warm pool: it walks its paths while it waits for a session, not after one took it. */
    private volatile boolean pooled;
    /** The last statement id accepted; commands arrive on one link's thread at a time. */
    private volatile int lastAccepted = -1;
    private URI gateway;
    private String secret;
    private Duration orphanTimeout;

    private SessionDriver(SessionSpec spec, OutputRouter router) {
        this.spec = spec;
        this.router = router;
        phases.done("JVM start to main");
    }

    public static void main(String[] args) throws Exception {
        // Before anything else touches System.out: see OutputRouter.
        OutputRouter router = OutputRouter.install();
        String claimFile = System.getenv(ENV_POOL_CLAIM_FILE);
        boolean claimOnPod = "true".equals(System.getenv(ENV_POOL_CLAIM_POD));
        if (claimOnPod || claimFile != null && !claimFile.isBlank()) {
            SessionSpec pool = Json.read(required(ENV_SPEC), SessionSpec.class);
            new SessionDriver(pool, router).runPooled(claimOnPod ? null : Path.of(claimFile),
                    claimOnPod ? -1 : Long.parseLong(required(ENV_POOL_GATEWAY_PID)),
                    duration(ENV_CONNECT_TIMEOUT, System.getenv(ENV_CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT),
                    duration(ENV_ORPHAN_TIMEOUT, System.getenv(ENV_ORPHAN_TIMEOUT), DEFAULT_ORPHAN_TIMEOUT));
            return;
        }
        String url = required(ENV_GATEWAY_URL);
        String secret = secret(Path.of(required(ENV_SECRET_FILE)));
        SessionSpec spec = Json.read(required(ENV_SPEC), SessionSpec.class);
        new SessionDriver(spec, router).run(URI.create(url), secret,
                duration(ENV_CONNECT_TIMEOUT, System.getenv(ENV_CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT),
                duration(ENV_ORPHAN_TIMEOUT, System.getenv(ENV_ORPHAN_TIMEOUT), DEFAULT_ORPHAN_TIMEOUT));
    }

    private void run(URI gateway, String secret, Duration connectTimeout, Duration orphanTimeout) throws Exception {
        this.gateway = gateway;
        this.secret = secret;
        this.orphanTimeout = orphanTimeout;
        // The link comes first, though Spark could start beside it (~0.2 s sooner idle, measured): a driver whose
        // gateway cannot be reached must not start Spark, nor ask for executors, for no one; it leaves one line.
        try {
            link = GatewayLink.connect(gateway, secret, connectTimeout, this::onCommand, this::onLinkLost);
        } catch (GatewayUnreachable e) {
            // Nothing started yet, so nothing to stop: one line for whoever reads the driver's log, and out.
            log(e.getMessage());
            System.exit(GatewayUnreachable.EXIT_CODE);
        }
        String permissions = System.getenv(OwnPermissions.ENV);
        if (permissions != null && !permissions.isBlank()) {
            Optional<String> missing;
            try {
                missing = OwnPermissions.missing(permissions, System.getenv().getOrDefault("POD_NAMESPACE", "default"));
            } catch (RuntimeException e) {
                missing = Optional.of("the driver could not ask the API server about its own permissions: " + e);
            }
            if (missing.isPresent()) {
                failStart(missing.get());
                return;
            }
        }
        phases.done("link");
        log("linked to the gateway; starting Spark");
        SparkSession spark = startSpark();
        link.send(new DriverMessage.Ready(ready));
        log("ready: Spark " + spark.version() + " on " + spark.sparkContext().master());
        log("start phases: " + phases.summary());

        stop.await();
        shutdown(spark);
    }

    /** Python found, Spark up, the interpreters starting and {@link #ready} known; a failure ends the JVM. */
    private SparkSession startSpark() throws Exception {
        // Python is found beside Spark's start (running it to learn its version takes ~0.7 s): Spark does not need
        // it, and a pyspark session whose Python cannot run still fails at once, from the finder's thread.
        CompletableFuture<DriverPython> finding = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                DriverPython found = driverPython();
                phases.alongside("Python found (beside Spark)", (System.nanoTime() - t0) / 1_000_000);
                return found;
            } catch (RuntimeException e) {
                failStartQuietly("this session's Python cannot run: " + e.getMessage());
                throw e;
            }
        });
        Path scalaClassDir = Files.createTempDirectory("sparkgate-repl-classes-");
        SparkSession spark;
        try {
            spark = SparkBoot.start(spec, scalaClassDir);
        } catch (Throwable t) {
            failStart("Spark could not start: " + t);
            return null;
        }
        phases.done("SparkSession");
        DriverPython python = finding.join();
        this.python = python;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        interpreters = new Interpreters(spec, spark, scalaClassDir, python);
        if (!pooled) {
            // after the interpreters' warm-ups, not beside them: they are the larger share of a first cell
            interpreters.warm().thenRunAsync(StatementPathWarmUp::warm,
                    walks -> StatementRunner.daemon("statement-path-warm-up").newThread(walks).start());
        }
        runner = new StatementRunner(sc, interpreters, router, events::append);
        ready = describe(spark);
        phases.done("interpreters started");
        return spark;
    }

    /**
     * A pooled driver: Spark and the interpreters start and warm with the pool's spec while no session exists; once a
     * session takes it ({@link PoolClaim}), it is that session's driver, dials its link with its secret and reports
     * ready at once. It never serves another session. Its gateway gone before that, it exits: a pooled driver is no
     * one's, so nothing waits for it. A pooled pod ({@code claimFile} null) hears of its claim on its own pod
     * ({@link PodClaims}); its gateway deletes it when it is not taken, and only then does it ask for executors.
     */
    private void runPooled(Path claimFile, long gatewayPid, Duration connectTimeout, Duration orphanTimeout)
            throws Exception {
        this.orphanTimeout = orphanTimeout;
        pooled = true;
        log("starting Spark before a session takes this driver");
        SparkSession spark = startSpark();
        log("start phases: " + phases.summary());
        // While no one waits: a session that takes this driver then waits for none of this code's first run.
        StatementRunner.daemon("claim-path-warm-up").newThread(() -> {
            ClaimPathWarmUp.walk(spec, ready);
            StatementPathWarmUp.warm();
        }).start();
        interpreters.warm().thenRun(() -> {
            try {
                if (claimFile != null) {
                    Files.writeString(claimFile.resolveSibling(POOL_WARM_FILE), "");
                }
                phases.done("warm-ups");
                log("warm (Scala's compiler, SQL and Python started): " + phases.summary());
            } catch (IOException e) {
                log("cannot say it is warm: " + e);
            }
        });
        PoolClaim claim = claimFile != null ? awaitClaim(claimFile, gatewayPid)
                : PodClaims.await(required("POD_NAMESPACE"), required("POD_NAME"), required(ENV_SECRET_FILE));
        if (claim == null) {
            log("the gateway (pid " + gatewayPid + ") is gone and no session took this driver; exiting");
            spark.stop();
            System.exit(0);
        }
        spec = claim.spec();
        // Spark 3.5's UI reads its proxy path from this system property at each request: the session's path from now.
        String proxyBase = spec.sparkConf().get(SparkBoot.PROXY_BASE);
        if (proxyBase != null) {
            System.setProperty(SparkBoot.PROXY_BASE, proxyBase);
        }
        gateway = URI.create(claim.link());
        secret = secret(Path.of(claim.secretFile()));
        log("taken from the pool by session " + spec.id() + "; dialling the gateway");
        int executors = PooledExecutors.request(spark.sparkContext(), spec.sparkConf());
        if (executors > 0) {
            log("asked Kubernetes for the session's " + executors + " executors");
        }
        try {
            link = GatewayLink.connect(gateway, secret, connectTimeout, this::onCommand, this::onLinkLost);
        } catch (GatewayUnreachable e) {
            log(e.getMessage());
            spark.stop();
            System.exit(GatewayUnreachable.EXIT_CODE);
        }
        // No Ready of its own: the gateway asks every driver that attaches to resume, and one that is up answers that
        // with Ready (onCommand), so a second would only say it twice.
        log("ready: Spark " + spark.version() + " on " + spark.sparkContext().master());
        stop.await();
        shutdown(spark);
    }

    /** The claim once its file appears (it is moved in whole), or null when the gateway went first. */
    private static PoolClaim awaitClaim(Path claimFile, long gatewayPid) throws InterruptedException, IOException {
        for (long look = 0; ; look++) {
            if (Files.exists(claimFile)) {
                return Json.read(Files.readString(claimFile), PoolClaim.class);
            }
            if (look % 200 == 0 && !ProcessHandle.of(gatewayPid).map(ProcessHandle::isAlive).orElse(false)) {
                return null;
            }
            // 5 ms: a claim is a user waiting for a session, and a look at one file costs microseconds.
            Thread.sleep(5);
        }
    }

    /**
     * The session's Python, found before Spark starts so that a pyspark session without a usable Python fails at
     * once. A shared session without one still runs Scala and SQL; its Python statements then say why they fail.
     */
    private DriverPython driverPython() {
        if (spec.kind() == Kind.pyspark) {
            DriverPython python = DriverPython.discover(spec);
            python.requirePySpark(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                    spec.python() != null && spec.python().allowWithoutPySpark());
            return python;
        }
        if (spec.kind() == Kind.shared) {
            try {
                return DriverPython.discover(spec);
            } catch (RuntimeException e) {
                log("no Python for pyspark statements: " + e.getMessage());
            }
        }
        return null;
    }

    /** {@link #failStart} from a thread that cannot throw {@link InterruptedException}. */
    private void failStartQuietly(String message) {
        try {
            failStart(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(2);
        }
    }

    private void failStart(String message) throws InterruptedException {
        log(message);
        if (link != null) {
            link.send(new DriverMessage.StartFailed(message));
            link.closeBlocking();
        }
        System.exit(2);
    }

    /** {@code from} is the link the command came on: a Resume may arrive before {@link #link} names it. */
    private void onCommand(GatewayLink from, DriverCommand command) {
        if (command instanceof DriverCommand.Resume resume) {
            events.resume(resume.since(), from::send);
            if (ready != null) {
                from.send(new DriverMessage.Ready(ready));
            }
        } else if (command instanceof DriverCommand.Execute execute) {
            // Ids only grow: one not above the last is a statement sent again on a new link that was here already.
            if (execute.statementId() <= lastAccepted) {
                return;
            }
            lastAccepted = execute.statementId();
            // Accepted is numbered here, in the order of this session's events, so a restarted gateway gets it back.
            events.append(new StatementEvent.Accepted(execute.statementId(), execute.kind().name(), execute.code(),
                    System.currentTimeMillis()));
            runner.submit(execute);
        } else if (command instanceof DriverCommand.Cancel cancel) {
            runner.cancel(cancel.statementId());
        } else if (command instanceof DriverCommand.Ask ask) {
            questions.execute(() -> link.send(new DriverMessage.Answer(ask.requestId(), answer(ask))));
        } else if (command instanceof DriverCommand.Shutdown) {
            log("asked to shut down");
            stop.countDown();
        }
    }

    /** The interpreter's answer; one that is not started, or fails to answer, answers the question's "nothing". */
    private InterpreterAnswer answer(DriverCommand.Ask ask) {
        InterpreterQuestion<?> question = ask.question();
        try {
            return interpreters.ifStarted(ask.kind())
                    .<InterpreterAnswer>map(interpreter -> answer(interpreter, question))
                    .orElseGet(question::noAnswer);
        } catch (RuntimeException e) {
            log("no answer to " + question.getClass().getSimpleName() + ": " + e);
            return question.noAnswer();
        }
    }

    private static InterpreterAnswer answer(Interpreter interpreter, InterpreterQuestion<?> question) {
        if (question instanceof InterpreterQuestion.Complete complete) {
            return interpreter.complete(complete.code(), complete.cursor());
        } else if (question instanceof InterpreterQuestion.CheckComplete check) {
            return interpreter.checkComplete(check.code());
        }
        InterpreterQuestion.Inspect inspect = (InterpreterQuestion.Inspect) question;
        return interpreter.inspect(inspect.code(), inspect.cursor(), inspect.detailLevel());
    }

    /**
     * The link closed. A gateway that does not want this driver any more (its session is over) says so with
     * {@link GatewayLink#NOT_WANTED}: the driver stops. Any other loss (a crash, a restart, a network) is waited out:
     * the driver keeps its events and dials again until {@value #ENV_ORPHAN_TIMEOUT} has passed.
     */
    private void onLinkLost(int code) {
        events.detach();
        if (code == GatewayLink.NOT_WANTED || stop.getCount() == 0) {
            log("link to the gateway closed; stopping");
            stop.countDown();
            return;
        }
        log("link to the gateway lost (code " + code + "); keeping this session's events and dialling again for up to "
                + orphanTimeout.toSeconds() + " s");
        Thread redial = new Thread(this::redial, "gateway-redial");
        redial.setDaemon(true);
        redial.start();
    }

    private void redial() {
        try {
            link = GatewayLink.redial(gateway, secret, orphanTimeout, this::onCommand, this::onLinkLost);
            log("linked to the gateway again; it resumes after the events it has");
        } catch (GatewayUnreachable e) {
            log("no gateway took this driver back within " + orphanTimeout.toSeconds() + " s (" + ENV_ORPHAN_TIMEOUT
                    + "): stopping Spark and exiting. " + e.getMessage());
            stop.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown(SparkSession spark) {
        // Whatever hangs below, the process must end: the gateway counts on a deleted session's JVM being gone.
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(20_000);
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // shut down in time
            }
        }, "shutdown-deadline");
        halt.setDaemon(true);
        halt.start();
        if (runner != null) {
            runner.close();
        }
        if (interpreters != null) {
            interpreters.close();
        }
        spark.stop();
        link.close();
        log("stopped");
        System.exit(0);
    }

    private DriverInfo describe(SparkSession spark) {
        var sc = spark.sparkContext();
        String ui = sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null;
        return new DriverInfo(spark.version(), scala.util.Properties.versionNumberString(), sc.master(),
                sc.applicationId(), ui, python == null ? null : python.pythonVersion(), ProcessHandle.current().pid());
    }

    private void log(String message) {
        router.log().println("sparkgate-driver " + (spec.id() >= 0 ? "session " + spec.id() : "pooled") + ": " + message);
    }

    /** {@code 30s}, {@code 2m}, {@code 500ms}, or a number of seconds; unset is the default. */
    static Duration connectTimeout(String value) {
        return duration(ENV_CONNECT_TIMEOUT, value, DEFAULT_CONNECT_TIMEOUT);
    }

    /** {@code name}'s {@code value} as a time: {@code 30s}, {@code 2m}, {@code 500ms}, or seconds; unset is the default. */
    static Duration duration(String name, String value, Duration defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m)?").matcher(value.strip());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration timeout = "ms".equals(m.group(2)) ? Duration.ofMillis(amount)
                    : "m".equals(m.group(2)) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
            if (!timeout.isZero()) {
                return timeout;
            }
        }
        System.err.println("sparkgate-driver: " + name + " is '" + value + "'; give a positive time "
                + "such as 30s, 2m or 500ms (a bare number is seconds), or unset it for " + defaultValue.toSeconds() + " s.");
        System.exit(64);
        return null;
    }

    private static String secret(Path file) {
        try {
            String secret = Files.readString(file).strip();
            if (!secret.isEmpty()) {
                return secret;
            }
            System.err.println("sparkgate-driver: the session secret file " + file + " (" + ENV_SECRET_FILE
                    + ") is empty. The gateway writes it before it starts the driver: start the session again.");
        } catch (IOException e) {
            System.err.println("sparkgate-driver: cannot read the session secret file " + file + " (" + ENV_SECRET_FILE
                    + "): " + e + ". It must exist and be readable by the driver's user.");
        }
        System.exit(64);
        return null;
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("sparkgate-driver: " + name + " is not set. The driver is started by the gateway, "
                    + "which sets it; it does not run on its own.");
            System.exit(64);
        }
        return value;
    }
}
