package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How long a restarted gateway takes to have its sessions back: starts a gateway ({@code java -jar JAR}) on a fresh
 * work directory, creates N sessions of a kind and waits for them to be {@code idle}, kills the gateway
 * ({@code kill -9}), starts it again on the same work directory and port, and measures from the new gateway answering
 * {@code /healthz} to every session {@code idle} again, with the states a client polling meanwhile saw. Repeats, and
 * prints each run and the median. The gateway is then stopped (SIGTERM), which stops its sessions.
 *
 * <pre>java -cp bench/target/sparkgate-bench.jar:bench/target/lib/* dev.sparkgate.bench.RestartRecovery \
 *     gateway/target/sparkgate-gateway.jar 5 3 spark</pre>
 */
public final class RestartRecovery {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "gateway/target/sparkgate-gateway.jar");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String kind = args.length > 3 ? args[3] : "spark";
        int port = 18997;
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path work = Files.createTempDirectory("sparkgate-restart-bench-");
            Process gateway = start(jar, work, port);
            GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + port), null);
            try {
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    ids.add(client.createSession(Map.of("kind", kind)).id());
                }
                awaitIdle(client, ids, new LinkedHashSet<>(), 600);
                gateway.destroyForcibly().waitFor();
                gateway = start(jar, work, port);
                long listening = System.nanoTime();
                Set<String> seen = new LinkedHashSet<>();
                awaitIdle(client, ids, seen, 300);
                double took = (System.nanoTime() - listening) / 1e9;
                seconds.add(took);
                System.out.printf("run %d: %d %s sessions idle %.2f s after the new gateway answered; a client saw %s%n",
                        run, sessions, kind, took, seen);
            } finally {
                gateway.destroy();
                gateway.waitFor(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("median of %d runs: %.2f s (min %.2f, max %.2f)%n", runs, Samples.median(seconds),
                Samples.min(seconds), Samples.max(seconds));
    }

    /** Starts the gateway and returns once it answers its liveness probe. */
    private static Process start(Path jar, Path work, int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("gateway.log").toFile()));
        builder.environment().putAll(Map.of("SPARKGATE_PORT", String.valueOf(port), "SPARKGATE_WORK_DIR", work.toString()));
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + port), null);
        while (System.nanoTime() < deadline) {
            try {
                client.findSession("-1");
                return process;
            } catch (RuntimeException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the gateway did not answer within 120 s; see " + work + File.separator
                + "gateway.log");
    }

    private static void awaitIdle(GatewayClient client, List<Integer> ids, Set<String> seen, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            boolean allIdle = true;
            for (int id : ids) {
                SessionView session = client.findSession(String.valueOf(id));
                SessionState state = session == null ? null : session.state();
                seen.add(String.valueOf(state));
                allIdle &= state == SessionState.idle;
            }
            if (allIdle) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("sessions " + ids + " not all idle within " + timeoutSeconds + " s; seen " + seen);
    }
}
