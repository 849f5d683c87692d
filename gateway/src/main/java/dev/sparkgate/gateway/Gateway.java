package dev.sparkgate.gateway;

import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.jupyter.JupyterRoutes;
import dev.sparkgate.gateway.kubernetes.KubernetesCluster;
import dev.sparkgate.gateway.link.DriverLinkEndpoint;
import dev.sparkgate.gateway.livy.LivyErrors;
import dev.sparkgate.gateway.livy.LivyRoutes;
import dev.sparkgate.gateway.placement.DriverPlacement;
import dev.sparkgate.gateway.placement.ExecutorCluster;
import dev.sparkgate.gateway.placement.LocalPlacement;
import dev.sparkgate.gateway.session.Session;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.gateway.stream.StreamEndpoint;
import dev.sparkgate.gateway.versions.DriverPythons;
import dev.sparkgate.gateway.versions.ImageCatalog;
import dev.sparkgate.gateway.versions.VersionCheck;
import dev.sparkgate.gateway.versions.VersionRoutes;
import dev.sparkgate.gateway.web.WebUi;
import dev.sparkgate.protocol.Json;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/** The gateway server: its routes, its sessions, started and stopped as one. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Request bodies and WebSocket messages carry statements; leave room for the largest one we accept. */
    private static final int MAX_MESSAGE_BYTES = Session.MAX_CODE_BYTES * 4 + 1024 * 1024;

    private final Javalin app;
    private final SessionManager sessions;
    private final GatewayConfig config;
    private final DriverPlacement placement;

    private Gateway(GatewayConfig config, Javalin app, SessionManager sessions, DriverPlacement placement) {
        this.config = config;
        this.app = app;
        this.sessions = sessions;
        this.placement = placement;
    }

    public static Gateway start(GatewayConfig config) {
        DriverRuntime runtime = DriverRuntime.locate(config.driverHome(), config.sparkJars());
        AccessGuard guard = new AccessGuard(config.token());
        Javalin[] started = new Javalin[1];
        ExecutorCluster cluster = config.kubernetes().enabled()
                ? KubernetesCluster.connect(config.kubernetes()) : ExecutorCluster.none();
        DriverPlacement placement = new LocalPlacement(runtime, config.workDir(), config.driverMemory(),
                id -> URI.create("ws://" + loopbackFor(config.host()) + ":" + started[0].port() + "/driver/" + id),
                cluster);
        // Sessions do not outlive their gateway: whatever this instance left behind belongs to no session.
        placement.reapOrphans(Set.of());
        VersionCheck versionCheck = new VersionCheck(runtime.sparkVersion(),
                new DriverPythons(config.driverPythons(), config.python()),
                config.imageCatalog() == null ? ImageCatalog.empty() : ImageCatalog.read(config.imageCatalog()),
                cluster::probeImage);
        SessionManager sessions = new SessionManager(config.sessionSettings(), placement, versionCheck);
        LivyRoutes livy = new LivyRoutes(sessions);
        StreamEndpoint stream = new StreamEndpoint(sessions, config.streamClientBacklogBytes());
        DriverLinkEndpoint drivers = new DriverLinkEndpoint(sessions);

        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = MAX_MESSAGE_BYTES;
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
                ws.setIdleTimeout(java.time.Duration.ZERO);
            });
        });
        app.before(guard::check);
        app.wsBeforeUpgrade(guard::check);
        app.wsBeforeUpgrade(StreamEndpoint.PATH, stream::beforeUpgrade);
        app.wsBeforeUpgrade(DriverLinkEndpoint.PATH, drivers::beforeUpgrade);
        app.ws(StreamEndpoint.PATH, stream::configure);
        app.ws(DriverLinkEndpoint.PATH, drivers::configure);
        new WebUi(config.kubernetes().enabled(), config.kubernetes().executorImage()).register(app);
        livy.register(app);
        new VersionRoutes(versionCheck, cluster.defaultNamespace()).register(app);
        new JupyterRoutes(sessions).register(app);
        // For liveness and readiness probes, which cannot carry the token: says nothing but that we serve.
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        // Livy's shape is every route's unless its API family maps refusals itself (the Kernel Gateway API does).
        app.exception(GatewayError.class, LivyErrors::render);
        app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(Map.of("msg", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
            ctx.status(500).json(Map.of("msg", "The gateway failed to handle this request: " + e
                    + ". The gateway log has the details."));
        });

        started[0] = app;
        app.start(config.port());
        if (!config.loopbackOnly() && !guard.enabled()) {
            LOG.warn("!!! Sparkgate listens on {} WITHOUT A TOKEN: anyone who can reach this address can run code "
                    + "as this user. Set SPARKGATE_TOKEN, or bind to 127.0.0.1. !!!", config.host());
        }
        LOG.info("Sparkgate listening on http://{}:{} (Livy API; session streams at /sessions/ID/stream); drivers from {}",
                config.host(), app.port(), runtime.home());
        return new Gateway(config, app, sessions, placement);
    }

    /** Drivers run on this machine: they dial the gateway on loopback unless it is bound to one address only. */
    private static String loopbackFor(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost") ? "127.0.0.1" : host;
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        return URI.create("http://" + loopbackFor(config.host()) + ":" + port());
    }

    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public void close() {
        sessions.close();
        app.stop();
        placement.close();
    }
}
