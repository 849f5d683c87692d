package dev.sparkgate.gateway;

import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.OpenApiDocument;
import dev.sparkgate.gateway.api.Operation;
import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.auth.OidcSignInRoutes;
import dev.sparkgate.gateway.auth.SignInRoutes;
import dev.sparkgate.gateway.health.HealthRoutes;
import dev.sparkgate.gateway.identity.IdentityChain;
import dev.sparkgate.gateway.identity.OidcSignIn;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.health.Readiness;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.metrics.MetricsRoutes;
import dev.sparkgate.gateway.sparkui.SparkUiProxy;
import dev.sparkgate.gateway.driver.DriverRuntime;
import dev.sparkgate.gateway.driver.DriverRuntimes;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.jupyter.JupyterRoutes;
import dev.sparkgate.gateway.kubernetes.KubernetesCluster;
import dev.sparkgate.gateway.kubernetes.driverpod.PodPlacement;
import dev.sparkgate.gateway.kubernetes.driverpod.PodPool;
import dev.sparkgate.gateway.link.DriverLinkEndpoint;
import dev.sparkgate.gateway.livy.LivyErrors;
import dev.sparkgate.gateway.livy.LivyRoutes;
import dev.sparkgate.gateway.placement.DriverPlacement;
import dev.sparkgate.gateway.placement.ExecutorCluster;
import dev.sparkgate.gateway.placement.LocalPlacement;
import dev.sparkgate.gateway.placement.WorkDirLock;
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
import io.javalin.micrometer.MicrometerPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sparkgate.gateway.placement.WarmPool;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.function.IntFunction;

/** The gateway server: its routes, its sessions, started and stopped as one. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Request bodies and WebSocket messages carry statements; leave room for the largest one we accept. */
    private static final int MAX_MESSAGE_BYTES = Session.MAX_CODE_BYTES * 4 + 1024 * 1024;

    private final Javalin app;
    private final SessionManager sessions;
    private final GatewayConfig config;
    private final DriverPlacement placement;

    private final ApiRoutes api;
    private final WorkDirLock workDirLock;

    private Gateway(GatewayConfig config, Javalin app, SessionManager sessions, DriverPlacement placement,
                    ApiRoutes api, WorkDirLock workDirLock) {
        this.api = api;
        this.workDirLock = workDirLock;
        this.config = config;
        this.app = app;
        this.sessions = sessions;
        this.placement = placement;
    }

    /**
     * Starts a gateway. On the embedded default it first locks its work directory (one gateway per directory, see
     * {@link WorkDirLock}), or refuses with {@link WorkDirLock.WorkDirInUse}.
     */
    public static Gateway start(GatewayConfig config) {
        WorkDirLock lock = config.driverPods() == null ? WorkDirLock.take(config.workDir()) : null;
        try {
            return start(config, lock);
        } catch (RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    private static Gateway start(GatewayConfig config, WorkDirLock lock) {
        DriverRuntimes runtimes = DriverRuntimes.locate(config.driverHome(), config.sparkJars());
        DriverRuntime runtime = runtimes.newest();
        IdentityChain identities = IdentityChain.of(config.token(), config.identity());
        AccessGuard guard = new AccessGuard(identities, config.metricsToken(), config.workDir());
        SessionAccess access = new SessionAccess(config.identity().impersonators(), identities::knownGroups);
        GatewayMetrics metrics = new GatewayMetrics();
        Javalin[] started = new Javalin[1];
        IntFunction<URI> ownLink = id -> URI.create("ws://" + loopbackFor(config.host()) + ":" + started[0].port()
                + "/driver/" + id);
        ImageCatalog catalog = config.imageCatalog() == null ? ImageCatalog.empty() : ImageCatalog.read(config.imageCatalog());
        ExecutorCluster cluster;
        DriverPlacement placement;
        VersionCheck versionCheck;
        if (config.driverPods() != null) {
            if (!config.kubernetes().enabled()) {
                throw new IllegalArgumentException("SPARKGATE_PLACEMENT is pod, but there is no cluster: run the "
                        + "gateway in a pod or give it a kubeconfig (KUBECONFIG), or use SPARKGATE_PLACEMENT=local.");
            }
            KubernetesCluster kubernetes = KubernetesCluster.connect(config.kubernetes(),
                    new KubernetesCluster.DriversIn(true, config.driverPods().portsPerSession()));
            cluster = kubernetes;
            placement = new PodPlacement(kubernetes, config.driverPods(), runtime.jvmOptions(), DriverRuntime.MAIN_CLASS,
                    runtimes.home().line(),
                    config.driverMemory(), ownLink, new PodPool(PodPool.size(config.warmSessions()),
                            config.sparkDefaults(), config.sqlRowCap(), config.python()));
            // The driver runs the executor image itself: its Python is the image's, its Spark the image's.
            // ... and its Java, unless the operator names a driver image of their own.
            versionCheck = VersionCheck.forDriversOnTheImage(runtimes.sparkVersions(),
                    config.driverPods().driverImage() == null ? runtime.javaRelease() : 0, catalog, cluster::probeImage);
        } else {
            cluster = config.kubernetes().enabled() ? KubernetesCluster.connect(config.kubernetes()) : ExecutorCluster.none();
            // A warm pool only where executors run inside the driver: on a cluster their confs name their session.
            WarmPool pool = config.kubernetes().enabled() ? WarmPool.none()
                    : new WarmPool(WarmPool.sizes(config.warmSessions(), runtimes.lineNames()), config.sparkDefaults(),
                            config.sqlRowCap(), config.python());
            placement = new LocalPlacement(runtimes, config.workDir(), config.driverMemory(), ownLink, cluster, pool);
            versionCheck = new VersionCheck(runtimes.sparkVersions(),
                    new DriverPythons(config.driverPythons(), config.python()), catalog, cluster::probeImage);
        }
        SessionManager sessions = new SessionManager(config.sessionSettings(), placement, versionCheck, metrics,
                runtime.line(), config.admission());
        // Sessions outlive their gateway where the placement keeps them: take those back, before the server listens
        // (a driver dialling at once finds its session), and reap what belongs to no session.
        int recovered = sessions.recover();
        if (recovered > 0) {
            LOG.info("found {} sessions of an earlier gateway; waiting up to {} s for their drivers to dial back",
                    recovered, config.recoveryTimeout().toSeconds());
        }
        placement.reapOrphans(sessions.list().stream().map(Session::id).collect(Collectors.toSet()));
        sessions.keepWarm();
        LivyRoutes livy = new LivyRoutes(sessions, access);
        StreamEndpoint stream = new StreamEndpoint(sessions, access, metrics, config.streamClientBacklogBytes());
        DriverLinkEndpoint drivers = new DriverLinkEndpoint(sessions, metrics);

        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = MAX_MESSAGE_BYTES;
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.modifyWebSocketServletFactory(ws -> {
                ws.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
                ws.setIdleTimeout(java.time.Duration.ZERO);
            });
            // HTTP timings by route template (bounded labels), Jetty's threads and connections.
            cfg.registerPlugin(new MicrometerPlugin(micrometer -> micrometer.registry = metrics.registry()));
        });
        ApiRoutes api = new ApiRoutes(app);
        Readiness readiness = new Readiness().check("recovery", Readiness.recovering(sessions::recovering));
        if (config.kubernetes().enabled()) {
            readiness.check("kubernetes", cluster::unavailable);
        }
        app.before(guard::check);
        app.wsBeforeUpgrade(guard::check);
        app.wsBeforeUpgrade(StreamEndpoint.PATH, stream::beforeUpgrade);
        app.wsBeforeUpgrade(DriverLinkEndpoint.PATH, drivers::beforeUpgrade);
        app.ws(StreamEndpoint.PATH, stream::configure);
        app.ws(DriverLinkEndpoint.PATH, drivers::configure);
        api.webSocket(StreamEndpoint.PATH, Operation.of("stream", "A session's event stream: every statement's "
                + "events as they happen, and requests to execute, cancel and complete (?since=SEQ replays)"));
        api.webSocket(DriverLinkEndpoint.PATH, Operation.of("driver", "Where a session's driver dials back in, with "
                + "its session's secret (not for clients)"));
        new WebUi(config.kubernetes().enabled(), config.kubernetes().executorImage(),
                guard.oidcSignIn().map(OidcSignIn::issuer).orElse(null)).register(app, api);
        new SignInRoutes(guard).register(api);
        new OidcSignInRoutes(guard).register(api);
        livy.register(api);
        new SparkUiProxy(sessions, access).register(api);
        new VersionRoutes(versionCheck, cluster.defaultNamespace(), runtimes).register(api);
        new JupyterRoutes(sessions, access, config.streamClientBacklogBytes()).register(app, api);
        new HealthRoutes(readiness).register(api);
        new MetricsRoutes(metrics).register(api);
        String version = Gateway.class.getPackage().getImplementationVersion();
        api.get("/openapi.json", Operation.of("operate", "This API, as OpenAPI 3.0, rendered from the routes"),
                ctx -> ctx.json(OpenApiDocument.render(api.routes(), version == null ? "dev" : version,
                        guard.enabled())));
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
        if (lock != null) {
            lock.listening(app.port());
        }
        if (!config.loopbackOnly() && !guard.enabled()) {
            LOG.warn("!!! Sparkgate listens on {} WITHOUT A TOKEN: anyone who can reach this address can run code "
                    + "as this user. Set SPARKGATE_TOKEN (or configure users), or bind to 127.0.0.1. !!!", config.host());
        }
        LOG.info("Sparkgate listening on http://{}:{} (Livy API; session streams at /sessions/ID/stream); drivers from {}"
                        + " for Spark {}", config.host(), app.port(), runtime.home(), runtimes.lines());
        return new Gateway(config, app, sessions, placement, api, lock);
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

    /** The routes as described: what {@code /openapi.json} lists, and which of Javalin's routes it does not. */
    public ApiRoutes api() {
        return api;
    }

    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public void close() {
        if (config.keepSessionsOnStop()) {
            LOG.info("stopping, and leaving {} sessions running for the next gateway (SPARKGATE_KEEP_SESSIONS_ON_STOP)",
                    sessions.list().size());
            sessions.leave();
        } else {
            sessions.close();
        }
        app.stop();
        placement.close();
        if (workDirLock != null) {
            workDirLock.close();
        }
    }
}
