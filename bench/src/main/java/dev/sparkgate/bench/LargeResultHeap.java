package dev.sparkgate.bench;

import dev.sparkgate.client.GatewayClient;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.StatementEvent;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a large result costs the gateway's heap: each cell runs over the session stream, then its statement is read
 * once over Livy REST ({@code GET /sessions/{id}/statements/{n}}, as sparkmagic does). For each, the gateway's old
 * generation peak above what it held before (what the cell and the read made it hold at once), and what it still
 * holds after a full GC (the statement, kept for replay and Livy). Run on the gateway's machine (it attaches to the
 * gateway, found as the parent of the session's driver), against a gateway started with
 * {@code SPARKGATE_SQL_ROW_CAP=100000} and a Python (PySpark, or {@code SPARKGATE_PYTHON_WITHOUT_PYSPARK=true}).
 * Prints Markdown.
 *
 * <p>Usage: {@code LargeResultHeap [gateway URL, default http://127.0.0.1:8998] [gateway pid]}; without a pid, the
 * gateway is found as its session's driver's parent, which it is only while drivers are not detached (they are since
 * drivers outlive the gateway: pass the pid, e.g. {@code $(pgrep -n -f sparkgate-gateway.jar)}).
 */
public final class LargeResultHeap {

    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration STATEMENT = Duration.ofMinutes(5);
    private static final long MIB = 1024 * 1024;

    /** kind, code: the cells issue 18 names. */
    private static final Map<String, String[]> CELLS = new LinkedHashMap<>();

    static {
        CELLS.put("100,000-row SQL result (row cap raised to 100,000)", new String[]{"sql",
                "SELECT id, id * 2 AS twice, concat('row ', id) AS label FROM range(100000)"});
        // what sparkmagic's %%spark -o runs to fetch a dataframe: each row's JSON printed
        CELLS.put("sparkmagic's Scala `toJSON.take(2500).foreach(println)` of 20 kB rows (~50 MB)", new String[]{"spark",
                "spark.range(2500).selectExpr(\"id\", \"repeat('x', 20000) AS wide\").toJSON.take(2500).foreach(println)"});
        CELLS.put("Python print of 1,000,000 rows as text (~25 MB)", new String[]{"pyspark",
                "print('\\n'.join(f'{i}\\t{i * 2}\\trow {i}' for i in range(1000000)))"});
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8998");
        GatewayClient gateway = new GatewayClient(base, null);
        HttpClient http = HttpClient.newHttpClient();
        SessionStream stream = gateway.openStream(gateway.createSession(Map.of("kind", "shared")).id());
        int session = stream.sessionId();
        long gatewayPid = args.length > 1 ? Long.parseLong(args[1]) : gatewayPid(gateway, session);
        try (GatewayHeap heap = GatewayHeap.attach(gatewayPid)) {
            stream.awaitActive(START);
            System.out.println("| cell | outcome | Livy JSON MiB | old-gen peak above before, MiB | kept after GC above before, MiB |");
            System.out.println("|---|---|---|---|---|");
            for (Map.Entry<String, String[]> cell : CELLS.entrySet()) {
                long before = heap.retained();
                heap.resetPeak();
                StatementEvents events = new StatementEvents();
                int id = stream.execute(cell.getValue()[0], cell.getValue()[1], events);
                StatementEvent.Finished finished = events.finished(STATEMENT);
                long bytes = 0;
                try (InputStream body = http.send(HttpRequest.newBuilder(
                                base.resolve("/sessions/" + session + "/statements/" + id)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = body.read(buffer)) > 0; ) {
                        bytes += n;
                    }
                }
                long peak = heap.oldGenPeak();
                long kept = heap.retained();
                System.out.printf("| %s | %s | %.1f | %.1f | %.1f |%n", cell.getKey(),
                        finished.error() == null ? finished.outcome() : finished.outcome() + ": " + finished.error().ename(),
                        (double) bytes / MIB, (double) (peak - before) / MIB, (double) (kept - before) / MIB);
            }
        } finally {
            stream.close();
            gateway.deleteSession(session);
        }
    }

    /** The gateway is the parent of its sessions' local drivers. */
    private static long gatewayPid(GatewayClient gateway, int session) {
        DriverInfo driver = null;
        for (long deadline = System.nanoTime() + START.toNanos(); System.nanoTime() < deadline; ) {
            driver = gateway.session(String.valueOf(session)).driver();
            if (driver != null && driver.pid() > 0) {
                break;
            }
            sleep();
        }
        if (driver == null || driver.pid() <= 0) {
            throw new IllegalStateException("session " + session + " shows no driver pid after " + START);
        }
        long pid = driver.pid();
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .filter(parent -> parent.info().commandLine().orElse("").contains("sparkgate"))
                .orElseThrow(() -> new IllegalStateException("no gateway process above driver " + pid
                        + " (drivers are detached): pass the gateway's pid as the second argument")).pid();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
