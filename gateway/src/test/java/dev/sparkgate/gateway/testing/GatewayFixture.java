package dev.sparkgate.gateway.testing;

import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.testkit.OutsideTools;
import dev.sparkgate.testkit.Tool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The footing of a gateway test class: a real gateway, and when asked an idle session of one kind on it, started
 * once before the class's tests and stopped after them, so the tests of a class share one gateway and one driver
 * JVM. Tests that need a gateway or session of their own (one they kill, delete or configure differently) start it
 * in the test, with {@link TestGateway} and {@link LivyClient#createIdleSession}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared).with("SPARKGATE_SQL_ROW_CAP", "5");
 * ... gateway.livy().run(gateway.session(), "sql", "SELECT 1") ...
 * }</pre>
 */
public final class GatewayFixture implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, Object> sessionRequest;
    private Cluster clusterSpec;
    private BooleanSupplier startsWhen = () -> true;
    private final List<Tool> tools = new ArrayList<>();

    private EmulatedCluster cluster;
    private TestGateway gateway;
    private int session = -1;

    private GatewayFixture(Map<String, Object> sessionRequest) {
        this.sessionRequest = sessionRequest;
    }

    /** A gateway with an idle session of {@code kind}, created through Livy's API as sparkmagic does. */
    public static GatewayFixture withSession(Kind kind) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind.name());
        return new GatewayFixture(request);
    }

    /** A gateway with no session: the tests create the sessions they need. */
    public static GatewayFixture withoutSession() {
        return new GatewayFixture(null);
    }

    /** A gateway setting (an environment variable the gateway is configured from, SPARKGATE_* and the like). */
    public GatewayFixture with(String setting, String value) {
        settings.put(setting, value);
        return this;
    }

    public GatewayFixture with(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    /** Every route wants {@code token}; {@link #livy()} and {@link #stream()} carry it. */
    public GatewayFixture token(String token) {
        return with("SPARKGATE_TOKEN", token);
    }

    /**
     * Python statements run on Debian's python3 without PySpark (which CI lacks), as an operator may allow: for tests
     * whose subject is not Spark from Python. PySparkSessionTest covers that.
     */
    public GatewayFixture withPlainPython() {
        return with(Map.of("SPARKGATE_PYTHON", OutsideTools.DEBIAN_PYTHON.toString(),
                "SPARKGATE_PYTHON_WITHOUT_PYSPARK", "true",
                "SPARK_HOME", "/nonexistent"));
    }

    /** A field of the request that creates the session ({@code name}, {@code numExecutors}, ...). */
    public GatewayFixture sessionField(String field, Object value) {
        if (sessionRequest == null) {
            throw new IllegalStateException("this fixture creates no session: use GatewayFixture.withSession(kind)");
        }
        sessionRequest.put(field, value);
        return this;
    }

    /**
     * The gateway runs against an emulated cluster of its own, {@code EmulatedKubernetes.start(name)}, started before
     * it and stopped after it. In Kubernetes mode, {@code instance} names the gateway on its executor pods and its
     * drivers listen on {@code ports} (distinct per class: the classes of a run share the machine's ports).
     */
    public GatewayFixture onEmulatedCluster(String name, String instance, String ports) {
        return onEmulatedCluster(instance, ports, () -> EmulatedKubernetes.start(name));
    }

    /** As {@link #onEmulatedCluster(String, String, String)}, on the cluster {@code start} starts. */
    public GatewayFixture onEmulatedCluster(String instance, String ports, Supplier<EmulatedCluster> start) {
        clusterSpec = new Cluster(instance, ports, start);
        return this;
    }

    /** Outside tools the class needs: without one, the class is skipped (or fails, in CI) before anything starts. */
    public GatewayFixture requires(Tool... needed) {
        tools.addAll(List.of(needed));
        return this;
    }

    /**
     * Starts nothing unless {@code condition} holds, for a class whose tests skip themselves on a machine without
     * what they need (they must not use the fixture then).
     */
    public GatewayFixture onlyWhen(BooleanSupplier condition) {
        startsWhen = condition;
        return this;
    }

    private record Cluster(String instance, String ports, Supplier<EmulatedCluster> start) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        tools.forEach(Tool::require);
        if (!startsWhen.getAsBoolean()) {
            return;
        }
        Map<String, String> env = new HashMap<>();
        if (clusterSpec != null) {
            cluster = clusterSpec.start().get();
            env.putAll(EmulatedKubernetes.gatewaySettings(cluster, clusterSpec.instance(), clusterSpec.ports()));
        }
        env.putAll(settings);
        gateway = TestGateway.start(env);
        if (sessionRequest != null) {
            session = livy().createIdleSession(sessionRequest);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // The gateway stops its sessions' drivers before the cluster their executors run on goes.
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** The gateway itself. */
    public TestGateway gateway() {
        return started(gateway);
    }

    public URI baseUri() {
        return gateway().gateway().baseUri();
    }

    /** A Livy client, with the gateway's token when it has one. */
    public LivyClient livy() {
        return gateway().livy(settings.get("SPARKGATE_TOKEN"));
    }

    /** A Livy client with {@code token}, or with none when it is null. */
    public LivyClient livy(String token) {
        return gateway().livy(token);
    }

    /** The id of the idle session the fixture created. */
    public int session() {
        if (sessionRequest == null) {
            throw new IllegalStateException("this fixture creates no session: use GatewayFixture.withSession(kind)");
        }
        started(gateway);
        return session;
    }

    /** A new client of the session's stream, from its first event; close it when done. */
    public StreamClient stream() {
        return stream(session());
    }

    /** A new client of {@code sessionId}'s stream, from its first event; close it when done. */
    public StreamClient stream(int sessionId) {
        return StreamClient.connect(baseUri(), sessionId, settings.get("SPARKGATE_TOKEN"), 0);
    }

    /** The emulated cluster the gateway runs against. */
    public EmulatedCluster cluster() {
        if (clusterSpec == null) {
            throw new IllegalStateException("this fixture has no cluster: use onEmulatedCluster(...)");
        }
        return started(cluster);
    }

    private static <T> T started(T part) {
        if (part == null) {
            throw new IllegalStateException("the fixture has not started: register it as a static field with "
                    + "@RegisterExtension, and use it in tests, not in field initializers");
        }
        return part;
    }
}
