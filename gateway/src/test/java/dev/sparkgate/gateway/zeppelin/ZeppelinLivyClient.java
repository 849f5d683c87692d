package dev.sparkgate.gateway.zeppelin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sparkgate.gateway.zeppelin.ZeppelinLivyJson.SessionInfo;
import dev.sparkgate.gateway.zeppelin.ZeppelinLivyJson.StatementInfo;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Talks to a Livy server exactly as Zeppelin's Livy interpreter (0.11, {@code BaseLivyInterpreter}) does, and records
 * every exchange: the same headers on every request, session properties sent as strings, a session and each
 * statement polled once a second, cancel as a POST with an empty body.
 */
final class ZeppelinLivyClient {

    /** Zeppelin's {@code zeppelin.livy.pull_status.interval.millis} default. */
    static final Duration PULL_STATUS_INTERVAL = Duration.ofSeconds(1);
    /** Zeppelin's {@code zeppelin.livy.session.create_timeout} default. */
    static final Duration SESSION_CREATE_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long a test waits for a statement. Zeppelin itself waits without end; a session's first Scala statement
     * starts the REPL's compiler, which takes minutes on a loaded 2-core machine, so the bound is generous.
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(5);

    /** One request and its answer; {@code atMillis} counts from the client's creation. */
    record Exchange(String method, String path, int status, String body, long atMillis) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI livyUrl;
    private final long createdAt = System.currentTimeMillis();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    ZeppelinLivyClient(URI livyUrl) {
        this.livyUrl = livyUrl;
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The first call Zeppelin makes; the version decides whether it uses cancel, progress and shared sessions. */
    ZeppelinLivyJson.LivyVersionResponse version() {
        return ZeppelinLivyJson.parse(ok(send("GET", "/version", "")), ZeppelinLivyJson.LivyVersionResponse.class);
    }

    /**
     * Zeppelin's session request from its interpreter properties: {@code livy.spark.*} become Spark confs,
     * other non-empty {@code livy.*} properties become top-level fields, all as strings. An anonymous user sends
     * no proxy user. Then it polls until the session is idle, and gives up when the session has finished.
     */
    SessionInfo createSession(Properties properties, String user, String kind) {
        Map<String, Object> request = new LinkedHashMap<>();
        Map<String, String> conf = new LinkedHashMap<>();
        request.put("conf", conf);
        properties.stringPropertyNames().stream().sorted().forEach(key -> {
            String value = properties.getProperty(key);
            if (key.startsWith("livy.spark.") && !value.isEmpty()) {
                conf.put(key.substring("livy.".length()), value);
            } else if (key.startsWith("livy.") && !value.isEmpty()) {
                request.put(key.substring("livy.".length()), value);
            }
        });
        request.put("kind", kind);
        if (user != null && !user.equals("anonymous")) {
            request.put("proxyUser", user);
        }
        SessionInfo session = ZeppelinLivyJson.parse(ok(send("POST", "/sessions", prettyJson(request))),
                SessionInfo.class);
        long start = System.currentTimeMillis();
        while (!session.isReady()) {
            if (System.currentTimeMillis() - start > SESSION_CREATE_TIMEOUT.toMillis()) {
                throw new AssertionError("session " + session.id() + " not idle within Zeppelin's timeout: " + session);
            }
            pause();
            session = session(session.id());
            if (session.isFinished()) {
                throw new AssertionError("session " + session.id() + " finished while Zeppelin waited: " + session);
            }
        }
        return session;
    }

    SessionInfo session(int id) {
        return ZeppelinLivyJson.parse(ok(send("GET", "/sessions/" + id, "")), SessionInfo.class);
    }

    /** {@code kind} is null where Zeppelin sends none (Livy before 0.5), else spark, pyspark or sparkr. */
    StatementInfo submit(int sessionId, String code, String kind) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("code", code);
        if (kind != null) {
            request.put("kind", kind);
        }
        return ZeppelinLivyJson.parse(ok(submitRaw(sessionId, prettyJson(request))), StatementInfo.class);
    }

    Exchange submitRaw(int sessionId, String body) {
        return send("POST", "/sessions/" + sessionId + "/statements", body);
    }

    /**
     * Polls the statement once a second until it is available or cancelled; returns every state it saw. Zeppelin
     * polls for as long as it takes; a test gives up after {@link #STATEMENT_TIMEOUT}.
     */
    List<StatementInfo> await(int sessionId, StatementInfo submitted) {
        List<StatementInfo> seen = new ArrayList<>(List.of(submitted));
        StatementInfo statement = submitted;
        long start = System.currentTimeMillis();
        while (!statement.isAvailable()) {
            if (System.currentTimeMillis() - start > STATEMENT_TIMEOUT.toMillis()) {
                throw new AssertionError("statement " + statement.id() + " not available within "
                        + STATEMENT_TIMEOUT + ": " + seen);
            }
            pause();
            statement = statement(sessionId, statement.id());
            seen.add(statement);
        }
        return seen;
    }

    StatementInfo run(int sessionId, String code, String kind) {
        List<StatementInfo> seen = await(sessionId, submit(sessionId, code, kind));
        return seen.get(seen.size() - 1);
    }

    StatementInfo statement(int sessionId, int statementId) {
        return ZeppelinLivyJson.parse(ok(send("GET", "/sessions/" + sessionId + "/statements/" + statementId, "")),
                StatementInfo.class);
    }

    Exchange cancel(int sessionId, int statementId) {
        return send("POST", "/sessions/" + sessionId + "/statements/" + statementId + "/cancel", "");
    }

    ZeppelinLivyJson.CompletionResponse complete(int sessionId, String code, String kind, int cursor) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("code", code);
        request.put("kind", kind);
        request.put("cursor", cursor);
        return ZeppelinLivyJson.parse(ok(send("POST", "/sessions/" + sessionId + "/completion", prettyJson(request))),
                ZeppelinLivyJson.CompletionResponse.class);
    }

    ZeppelinLivyJson.SessionLog log(int sessionId, int maxLogLines) {
        return ZeppelinLivyJson.parse(ok(send("GET", "/sessions/" + sessionId + "/log?size=" + maxLogLines, "")),
                ZeppelinLivyJson.SessionLog.class);
    }

    Exchange delete(int sessionId) {
        return send("DELETE", "/sessions/" + sessionId, "");
    }

    Exchange send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(livyUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("X-Requested-By", "zeppelin")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString(body)
                        : HttpRequest.BodyPublishers.noBody());
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Exchange exchange = new Exchange(method, path, response.statusCode(), response.body(),
                    System.currentTimeMillis() - createdAt);
            exchanges.add(exchange);
            return exchange;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Zeppelin goes on with 200 and 201 only. */
    private static String ok(Exchange exchange) {
        if (exchange.status() != 200 && exchange.status() != 201) {
            throw new AssertionError("Zeppelin would fail on " + exchange + ": " + exchange.body());
        }
        return exchange.body();
    }

    /** Zeppelin's gson is set to pretty-print: its bodies span lines. */
    private static String prettyJson(Object value) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PULL_STATUS_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
