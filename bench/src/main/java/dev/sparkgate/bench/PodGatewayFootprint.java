package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.protocol.SessionState;
import dev.sparkgate.protocol.SessionView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an idle session costs the gateway itself when drivers run in pods of their own: the gateway's used heap after
 * a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}) and its thread count ({@code /proc/PID/status}), with
 * 0, then more and more idle sessions (no executors, no client attached). The growth per session, the thread names
 * that grew (from {@code jcmd PID Thread.print}, digits folded) and the classes whose heap grew most (from
 * {@code GC.class_histogram}) say where it goes. Run it on the gateway's machine with the gateway's pid. Prints
 * Markdown.
 *
 * <p>Usage: {@code PodGatewayFootprint GATEWAY_URL GATEWAY_PID [steps, default 0,5,10,20] [kind, default sql]
 * [driver memory, default 512m]}
 */
public final class PodGatewayFootprint {

    private static final Duration START = Duration.ofMinutes(10);
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern THREAD = Pattern.compile("^\"(.*?)\"", Pattern.MULTILINE);
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);

    private final GatewayClient gateway;
    private final String pid;

    private PodGatewayFootprint(URI base, long pid) {
        this.gateway = new GatewayClient(base, null);
        this.pid = Long.toString(pid);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: PodGatewayFootprint GATEWAY_URL GATEWAY_PID [steps 0,5,10,20] "
                    + "[kind sql] [driver memory 512m]");
        }
        int[] steps = Arrays.stream((args.length > 2 ? args[2] : "0,5,10,20").split(","))
                .mapToInt(Integer::parseInt).toArray();
        String kind = args.length > 3 ? args[3] : "sql";
        String driverMemory = args.length > 4 ? args[4] : "512m";
        new PodGatewayFootprint(URI.create(args[0]), Long.parseLong(args[1])).run(steps, kind, driverMemory);
    }

    private record Step(int sessions, double heapMib, int threads, Map<String, Integer> threadNames,
                        Map<String, long[]> classes) {
    }

    private void run(int[] steps, String kind, String driverMemory) throws Exception {
        List<Integer> sessions = new ArrayList<>();
        List<Step> measured = new ArrayList<>();
        try {
            for (int target : steps) {
                List<Integer> created = new ArrayList<>();
                while (sessions.size() < target) {
                    // No Spark UI: on the emulated cluster every pod is 127.0.0.1, and Spark tries only 17 UI ports
                    // from 4040, so the 17th driver fails to bind. The gateway's footprint does not involve the UI.
                    int id = gateway.createSession(Map.of("kind", kind, "numExecutors", 0, "conf",
                            Map.of("spark.driver.memory", driverMemory, "spark.ui.enabled", "false"))).id();
                    sessions.add(id);
                    created.add(id);
                }
                for (int id : created) {
                    awaitIdle(id);
                }
                for (int id : sessions) {
                    SessionState state = gateway.session(Integer.toString(id)).state();
                    if (state != SessionState.idle) {
                        throw new IllegalStateException("session " + id + " is " + state + ", not idle, at step "
                                + target);
                    }
                }
                // Let start-up work (watch events, link handshakes, log tails) settle as it would for sessions
                // waiting for their users.
                Thread.sleep(10_000);
                measured.add(measure(sessions.size()));
                System.err.printf("%d sessions: %.1f MiB, %d threads%n", sessions.size(),
                        measured.get(measured.size() - 1).heapMib(), measured.get(measured.size() - 1).threads());
            }
        } finally {
            for (int id : sessions) {
                gateway.deleteSession(id);
            }
        }
        print(measured, kind, driverMemory);
    }

    private void awaitIdle(int id) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            SessionView view = gateway.session(Integer.toString(id));
            if (view.state() == SessionState.idle) {
                return;
            }
            if (view.state().over()) {
                throw new IllegalStateException("session " + id + " ended " + view.state() + " before idle; its log: "
                        + String.join("\n", view.log()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session " + id + " not idle after " + START + " (" + view.state()
                        + "); its log: " + String.join("\n", view.log()));
            }
            Thread.sleep(1000);
        }
    }

    private Step measure(int sessions) {
        Commands.output("jcmd", pid, "GC.run");
        Matcher used = USED.matcher(Commands.output("jcmd", pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd " + pid + " GC.heap_info shows no used heap");
        }
        double heapMib = Long.parseLong(used.group(1)) / 1024.0;
        Map<String, Integer> names = new HashMap<>();
        Matcher thread = THREAD.matcher(Commands.output("jcmd", pid, "Thread.print"));
        while (thread.find()) {
            names.merge(thread.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        Map<String, long[]> classes = new HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(Commands.output("jcmd", pid, "GC.class_histogram"));
        while (row.find()) {
            classes.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        }
        return new Step(sessions, heapMib, threads(), names, classes);
    }

    private int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("/proc/" + pid + "/status has no Threads line");
        } catch (IOException e) {
            throw new UncheckedIOException("no process " + pid + ": run this on the gateway's machine", e);
        }
    }

    private static void print(List<Step> steps, String kind, String driverMemory) {
        Step first = steps.get(0);
        Step last = steps.get(steps.size() - 1);
        System.out.printf("Idle sessions of kind %s, spark.driver.memory=%s, no executors, no Spark UI, no client "
                + "attached.%n%n",
                kind, driverMemory);
        System.out.println("| idle sessions | gateway used heap after full GC, MiB | gateway threads "
                + "| heap per session vs 0, MiB | threads per session vs 0 |");
        System.out.println("|---|---|---|---|---|");
        for (Step step : steps) {
            int added = step.sessions() - first.sessions();
            System.out.printf("| %d | %.1f | %d | %s | %s |%n", step.sessions(), step.heapMib(), step.threads(),
                    added == 0 ? "" : String.format("%.3f", (step.heapMib() - first.heapMib()) / added),
                    added == 0 ? "" : String.format("%.2f", (step.threads() - first.threads()) / (double) added));
        }
        System.out.printf("%nThread names that changed from %d to %d sessions (digits folded to #):%n%n",
                first.sessions(), last.sessions());
        System.out.println("| thread name | at " + first.sessions() + " | at " + last.sessions() + " |");
        System.out.println("|---|---|---|");
        Map<String, Integer> union = new TreeMap<>(first.threadNames());
        last.threadNames().forEach(union::putIfAbsent);
        union.keySet().forEach(name -> {
            int before = first.threadNames().getOrDefault(name, 0);
            int after = last.threadNames().getOrDefault(name, 0);
            if (before != after) {
                System.out.printf("| `%s` | %d | %d |%n", name, before, after);
            }
        });
        System.out.printf("%nClasses whose live heap grew most from %d to %d sessions:%n%n", first.sessions(),
                last.sessions());
        System.out.println("| class | instances added | KiB added |");
        System.out.println("|---|---|---|");
        last.classes().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - first.classes().getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - first.classes().getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(12)
                .forEach(e -> System.out.printf("| `%s` | %d | %.1f |%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1] / 1024.0));
    }
}
