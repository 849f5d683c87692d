package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.StatementEvent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a session costs the machine its gateway runs on: the resident memory (RSS, from {@code /proc}) of a session's
 * driver JVM and the processes it started, idle after start, after a Spark job, and after its first Python statement
 * (which starts the session's Python REPL); and the gateway's own. Several sessions are held at once, so the figures are per session while
 * others live. Run it on the gateway's machine: it reads the drivers' pids from the session JSON. Prints Markdown.
 *
 * <p>Usage: {@code SessionFootprint [gateway URL, default http://127.0.0.1:8998] [sessions, default 3]
 * [Spark line: 3.5 | 4.1, default the gateway's]} (see {@link SparkLine})
 */
public final class SessionFootprint {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration STATEMENT = Duration.ofMinutes(2);
    private static final String SPARK_JOB = "spark.range(0, 2000000, 1, 4).selectExpr(\"sum(id)\").collect()";

    private final GatewayClient gateway;
    private final SparkLine line;

    private SessionFootprint(URI base, SparkLine line) {
        this.gateway = new GatewayClient(base, null);
        this.line = line;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        new SessionFootprint(base, SparkLine.of(args, 2)).run(sessions);
    }

    private void run(int count) throws Exception {
        List<SessionStream> sessions = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        List<Double> afterJob = new ArrayList<>();
        List<Double> afterPython = new ArrayList<>();
        List<Double> python = new ArrayList<>();
        double gatewayRss;
        String runtime;
        try {
            for (int i = 0; i < count; i++) {
                SessionStream session = gateway.openStream(gateway.createSession(line.sharedSession()).id());
                sessions.add(session);
                session.awaitActive(START);
            }
            // Let start-up garbage settle as it would in a session waiting for its user.
            Thread.sleep(5000);
            for (SessionStream session : sessions) {
                idle.add(mib(treeRss(driverPid(session))));
            }
            for (SessionStream session : sessions) {
                run(session, "spark", SPARK_JOB);
                afterJob.add(mib(treeRss(driverPid(session))));
            }
            for (SessionStream session : sessions) {
                run(session, "pyspark", "sum(range(10))");
                long driver = driverPid(session);
                afterPython.add(mib(treeRss(driver)));
                python.add(mib(treeRss(driver) - rss(driver)));
            }
            runtime = SparkLine.describe(gateway, sessions.get(0).sessionId());
            // The gateway started every driver, so it is their parent.
            gatewayRss = mib(rss(ProcessHandle.of(driverPid(sessions.get(0))).flatMap(ProcessHandle::parent)
                    .orElseThrow().pid()));
        } finally {
            for (SessionStream session : sessions) {
                session.close();
                gateway.deleteSession(session.sessionId());
            }
        }
        System.out.println("Driver runtime: " + runtime + "\n");
        System.out.println("| resident memory of one session (driver JVM and its children) | n | median MiB | min MiB "
                + "| max MiB |");
        System.out.println("|---|---|---|---|---|");
        row("idle, just started (kind shared)", idle);
        row("after a Spark job (`" + SPARK_JOB + "`)", afterJob);
        row("after its first Python statement", afterPython);
        row("of which the Python REPL", python);
        System.out.printf("%nThe gateway's own JVM, holding these %d sessions: %.0f MiB resident.%n", count, gatewayRss);
    }

    /** Runs a statement over the session's stream, to its end; fails unless it succeeded. */
    private static void run(SessionStream session, String kind, String code) throws Exception {
        StatementEvents events = new StatementEvents();
        session.execute(kind, code, events);
        StatementEvent.Finished finished = events.finished(STATEMENT);
        if (finished.outcome() != StatementEvent.Outcome.ok) {
            throw new IllegalStateException("`" + code + "` in session " + session.sessionId() + " failed: "
                    + (finished.error() == null ? finished.outcome() : finished.error().evalue()));
        }
    }

    private long driverPid(SessionStream session) {
        DriverInfo driver = gateway.session(String.valueOf(session.sessionId())).driver();
        if (driver == null || driver.pid() <= 0) {
            throw new IllegalStateException("session " + session.sessionId() + " shows no driver pid");
        }
        return driver.pid();
    }

    /** The RSS of a process and every process below it. */
    private static long treeRss(long pid) {
        ProcessHandle driver = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "no process " + pid + ": run this benchmark on the gateway's machine"));
        return Stream.concat(Stream.of(driver), driver.descendants()).mapToLong(p -> rss(p.pid())).sum();
    }

    /** {@code VmRSS} from {@code /proc/PID/status}, in bytes; 0 for a process that has gone meanwhile. */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException gone) {
            return 0;
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void row(String name, List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", name, sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
