package dev.sparkgate.gateway.livy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.StatementNotFound;
import dev.sparkgate.gateway.identity.AuditLog;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.identity.User;
import dev.sparkgate.gateway.session.Durations;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionLog;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.session.SessionRequest;
import dev.sparkgate.gateway.session.Sharing;
import dev.sparkgate.gateway.session.Statement;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionView;
import io.javalin.http.ContentType;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Livy's interactive-session REST API, as sparkmagic and Zeppelin's Livy interpreter use it. Each route shows or
 * touches only what the caller may ({@link SessionAccess}): lists hold the sessions they may see; another's session is
 * 403. A session belongs to who creates it, or to its {@code proxyUser} when they may act as another user, and is
 * shared by its {@code viewUsers}, {@code viewGroups}, {@code modifyUsers} and {@code modifyGroups}.
 */
public final class LivyRoutes {

    /** Leaves the response's stream open: Javalin finishes the response. */
    private static final ObjectWriter STREAMING_WRITER = Json.MAPPER.writer()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** How long a statement POST waits for the driver to acknowledge the statement (a loopback round trip, usually). */
    static final Duration ACKNOWLEDGE_TIMEOUT = Duration.ofSeconds(10);

    /** The Livy version we answer: 0.5+ turns on Zeppelin's cancel, progress and shared sessions. */
    static final String LIVY_VERSION = "0.8.0";

    private final SessionManager sessions;
    private final SessionAccess access;

    public LivyRoutes(SessionManager sessions, SessionAccess access) {
        this.sessions = sessions;
        this.access = access;
    }

    public void register(ApiRoutes api) {
        api.get("/version", livy("The Livy version this gateway answers as").returns("Version"), this::version);
        api.post("/sessions", livy("Create a session; it starts in the background").request("CreateSession")
                .returns(201, "Session"), this::createSession);
        api.get("/sessions", livy("List sessions (?from, ?size)").returns("SessionList"), this::listSessions);
        api.get("/sessions/{id}", livy("A session, by id or name").returns("Session"),
                ctx -> ctx.json(view(ctx, session(ctx))));
        api.get("/sessions/{id}/state", livy("A session's state").returns("SessionState"), ctx -> {
            Session session = session(ctx);
            ctx.json(Map.of("id", session.id(), "state", session.state()));
        });
        api.delete("/sessions/{id}", livy("Delete a session; returns once its driver is gone").returns("Message"),
                this::deleteSession);
        api.get("/sessions/{id}/log", livy("The driver's log (?from, ?size); kept a while after the session ended")
                .returns("Log"), this::log);
        api.post("/sessions/{id}/statements", livy("Run a statement").request("SubmitStatement")
                .returns(201, "Statement"), this::submit);
        api.get("/sessions/{id}/statements", livy("A session's statements (?from, ?size, ?order=desc)")
                .returns("StatementList"), this::listStatements);
        api.get("/sessions/{id}/statements/{sid}", livy("One statement").returns("Statement"),
                ctx -> writeJson(ctx, LivyStatement.of(statement(ctx))));
        api.post("/sessions/{id}/statements/{sid}/cancel", livy("Cancel a statement and its Spark jobs")
                .returns("Message"), this::cancel);
        api.post("/sessions/{id}/completion", livy("Complete code at a cursor").request("CompletionRequest")
                .returns("Completion"), this::complete);
    }

    private static Operation livy(String summary) {
        return Operation.of("livy", summary);
    }

    private void version(Context ctx) {
        ctx.json(Map.of("version", LIVY_VERSION, "user", System.getProperty("user.name"),
                "revision", "sparkgate-" + implementationVersion(), "branch", "sparkgate", "date", "",
                "url", "https://sparkgate.dev"));
    }

    private void createSession(Context ctx) {
        User user = AccessGuard.user(ctx);
        SessionRequest asked = parseCreate(RequestBody.parse(ctx.body()));
        Session session = sessions.create(access.claim(user, asked, asked.proxyUser(), "proxyUser"));
        AuditLog.created(user, session);
        ctx.status(201).header("Location", "/sessions/" + session.id()).json(view(ctx, session));
    }

    static SessionRequest parseCreate(RequestBody body) {
        String kindName = body.string("kind");
        Kind kind = kindName == null ? Kind.shared : Kind.parse(kindName).orElseThrow(() -> new BadRequest(
                "Unknown session kind '" + kindName + "': use one of spark, pyspark, sql or shared."));
        Durations.parse(body.string("ttl"), "ttl");
        Durations.parse(body.string("idleTimeout"), "idleTimeout");
        return new SessionRequest(kind, body.string("name"), null, body.string("proxyUser"),
                body.stringMap("conf"), body.string("driverMemory"), body.integer("driverCores"),
                body.string("executorMemory"), body.integer("executorCores"), body.integer("numExecutors"),
                body.strings("jars"), body.strings("pyFiles"), body.strings("files"), body.strings("archives"),
                body.string("queue"), body.string("ttl"), body.string("idleTimeout"),
                new Sharing(body.strings("viewUsers"), body.strings("viewGroups"), body.strings("modifyUsers"),
                        body.strings("modifyGroups")));
    }

    private void listSessions(Context ctx) {
        List<Session> all = access.visible(AccessGuard.user(ctx), sessions.list());
        int from = intParam(ctx, "from", 0);
        int size = intParam(ctx, "size", 100);
        ctx.json(Map.of("from", from, "total", all.size(),
                "sessions", all.stream().skip(from).limit(size).map(session -> view(ctx, session)).toList()));
    }

    private void deleteSession(Context ctx) {
        Session session = owned(ctx, "delete");
        sessions.delete(String.valueOf(session.id()));
        AuditLog.record(AccessGuard.user(ctx), "delete", "Session " + session.id(),
                AuditLog.Outcome.allowed, null);
        ctx.json(Map.of("msg", "deleted"));
    }

    private void log(Context ctx) {
        SessionLog sessionLog = access.view(AccessGuard.user(ctx), sessions.log(ctx.pathParam("id")));
        DriverLog log = sessionLog.log();
        long total = log.total();
        int size = intParam(ctx, "size", 100);
        long from = ctx.queryParam("from") == null ? Math.max(0, total - size) : intParam(ctx, "from", 0);
        ctx.json(Map.of("id", sessionLog.sessionId(), "from", from, "total", total, "log", log.lines(from, size)));
    }

    private void submit(Context ctx) {
        Session session = owned(ctx, "execute in");
        RequestBody body = RequestBody.parse(ctx.body());
        CompletableFuture<Statement> acknowledged = new CompletableFuture<>();
        Statement statement = session.submit(body.string("kind"), body.string("code"), acknowledged::complete);
        AuditLog.record(AccessGuard.user(ctx), "execute", "Session " + session.id(), AuditLog.Outcome.allowed,
                "statement " + statement.id());
        // 201 once the driver has the statement (one round trip): a gateway crash before that fails this request,
        // which the client sees and can send again, instead of a 201 for a statement no one has. A driver that does
        // not answer in time is away (its link down): this gateway keeps the statement and sends it again when it
        // dials back, so it is answered as it stands, waiting.
        ctx.future(() -> acknowledged.completeOnTimeout(statement, ACKNOWLEDGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(sent -> ctx.status(201)
                        .header("Location", "/sessions/" + session.id() + "/statements/" + statement.id())
                        .json(LivyStatement.of(session.statement(statement.id())))));
    }

    private void listStatements(Context ctx) throws IOException {
        List<Statement> all = session(ctx).statements();
        if ("desc".equalsIgnoreCase(ctx.queryParam("order"))) {
            all = all.stream().sorted(Comparator.comparingInt(Statement::id).reversed()).toList();
        }
        int from = intParam(ctx, "from", 0);
        int size = intParam(ctx, "size", 100);
        writeJson(ctx, Map.of("total_statements", all.size(),
                "statements", all.stream().skip(from).limit(size).map(LivyStatement::of).toList()));
    }

    private void cancel(Context ctx) {
        owned(ctx, "cancel statements in").cancel(statementId(ctx));
        // sparkmagic accepts 200 only.
        ctx.json(Map.of("msg", "canceled"));
    }

    private void complete(Context ctx) {
        Session session = owned(ctx, "complete code in");
        RequestBody body = RequestBody.parse(ctx.body());
        String code = body.string("code");
        Integer cursor = body.integer("cursor");
        int at = cursor == null ? (code == null ? 0 : code.length()) : cursor;
        if (code != null && (at < 0 || at > code.length())) {
            throw new BadRequest("'cursor' is " + at + " but the code has " + code.length() + " characters.");
        }
        var answer = session.ask(body.string("kind"), new InterpreterQuestion.Complete(code, at));
        // Answered when the driver answers: no request thread waits for the interpreter.
        ctx.future(() -> answer.handle((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (!(cause instanceof GatewayError refusal)) {
                    throw new CompletionException(cause);
                }
                LivyErrors.render(refusal, ctx);
            } else {
                InterpreterAnswer.Completions completions = reply;
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("candidates", completions.candidates());
                json.put("cursor_start", completions.cursorStart());
                json.put("cursor_end", completions.cursorEnd());
                ctx.json(json);
            }
            return null;
        }));
    }

    /**
     * The session as Livy gives it: Livy's clients show {@code appInfo.sparkUiUrl} as a link from wherever they run
     * (sparkmagic's widget, Zeppelin's paragraph), so it is absolute, on the address this request reached us at.
     */
    private static SessionView view(Context ctx, Session session) {
        SessionView view = session.view();
        SessionView.AppInfo app = view.appInfo();
        if (app.sparkUiUrl() == null || !app.sparkUiUrl().startsWith("/")) {
            return view;
        }
        String origin = ctx.scheme() + "://" + ctx.host();
        return view.withAppInfo(new SessionView.AppInfo(app.driverLogUrl(), origin + app.sparkUiUrl(),
                app.executorLogUrls()));
    }

    /** The session of the path, if the caller may see it. */
    private Session session(Context ctx) {
        return access.view(AccessGuard.user(ctx), sessions.get(ctx.pathParam("id")), "see");
    }

    /** The session of the path, if the caller may act on it ({@code action}: what they asked, for a refusal). */
    private Session owned(Context ctx, String action) {
        return access.modify(AccessGuard.user(ctx), sessions.get(ctx.pathParam("id")), action);
    }


    private Statement statement(Context ctx) {
        return session(ctx).statement(statementId(ctx));
    }

    private int statementId(Context ctx) {
        String text = ctx.pathParam("sid");
        if (!text.matches("\\d{1,9}")) {
            throw new StatementNotFound(session(ctx).id(), text);
        }
        return Integer.parseInt(text);
    }

    /**
     * Statements' outputs can be megabytes (a 100,000-row table): written straight to the response, rather than first
     * as one String and then as its bytes, so a large result costs the gateway no second and third copy.
     */
    private static void writeJson(Context ctx, Object body) throws IOException {
        ctx.contentType(ContentType.APPLICATION_JSON);
        STREAMING_WRITER.writeValue(ctx.outputStream(), body);
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        if (!text.matches("\\d{1,9}")) {
            throw new BadRequest("Query parameter '" + name + "' must be a non-negative whole number, not '" + text + "'.");
        }
        return Integer.parseInt(text);
    }

    private static String implementationVersion() {
        String version = LivyRoutes.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
