package dev.sparkgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The gateway's metrics: the one owner of the registry and of every meter's name and labels. The session core tells
 * it what happened (a session started, a statement finished, a driver exited); {@link #scrape()} renders Prometheus'
 * text format for {@code /metrics}. Labels take bounded values only: states, kinds, placements, Spark lines, causes,
 * outcomes; never a session id or a user name, which would grow a series per session.
 *
 * <p>Prometheus names (Micrometer adds the unit and {@code _total}): {@code sparkgate_sessions},
 * {@code sparkgate_session_start_seconds}, {@code sparkgate_statement_duration_seconds},
 * {@code sparkgate_driver_exits_total}, {@code sparkgate_executors}, {@code sparkgate_session_culls_total},
 * {@code sparkgate_driver_link_reconnects_total}, {@code sparkgate_session_recoveries_total},
 * {@code sparkgate_stream_clients}, {@code sparkgate_stream_relay_seconds}, {@code sparkgate_admission_refusals_total}; the JVM's {@code jvm_*},
 * {@code process_*}, {@code system_*}; the HTTP server's {@code javalin_http_*} and {@code jetty_*}.
 */
public final class GatewayMetrics {

    public static final String SESSIONS = "sparkgate.sessions";
    public static final String SESSION_START = "sparkgate.session.start";
    public static final String STATEMENT_DURATION = "sparkgate.statement.duration";
    public static final String DRIVER_EXITS = "sparkgate.driver.exits";
    public static final String EXECUTORS = "sparkgate.executors";
    public static final String CULLS = "sparkgate.session.culls";
    public static final String LINK_RECONNECTS = "sparkgate.driver.link.reconnects";
    public static final String RECOVERIES = "sparkgate.session.recoveries";
    public static final String STREAM_CLIENTS = "sparkgate.stream.clients";
    public static final String ADMISSION_REFUSALS = "sparkgate.admission.refusals";
    public static final String STREAM_RELAY = "sparkgate.stream.relay";

    /**
     * The two ways the gateway relays a statement: {@code in}, a client's stream request until it is on its way to the
     * driver; {@code out}, a driver's message until every client has it queued (and the session's state follows).
     */
    public enum Relay { in, out }

    /** How a session started: {@code cold} (a new driver JVM or pod). Warm pools would add {@code warm}. */
    public enum Start { cold }

    /** Buckets for a session's start: a local driver takes seconds, a pod on a cold node minutes. */
    private static final Duration[] START_BUCKETS = seconds(1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300);
    /** Buckets for a statement: a lookup takes milliseconds, a job many minutes. */
    private static final Duration[] STATEMENT_BUCKETS =
            seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800);

    /**
     * Buckets for the gateway's own share of a relay: warm, a tenth of a millisecond; more is a cold JVM, a loaded
     * machine, or a fan-out to many clients.
     */
    private static final Duration[] RELAY_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1);

    /**
     * Two of Micrometer's JVM meters have names {@code promtool check metrics} rejects: {@code system_cpu_count} (a
     * gauge ending in _count) is renamed {@code system_cpus}; {@code process_cpu_time_ns_total} (an abbreviated unit)
     * is dropped, as {@code process_cpu_usage} carries the same.
     */
    private static final MeterFilter PROMTOOL_CLEAN = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
        }

        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge sessions = MultiGauge.builder(SESSIONS)
            .description("Sessions now, by state, kind, driver placement and Spark runtime").register(registry);
    private final MultiGauge executors = MultiGauge.builder(EXECUTORS)
            .description("Executors of all sessions now, by state").register(registry);
    private final AtomicInteger streamClients = new AtomicInteger();
    private final Counter culls;
    private final Counter linkReconnects;
    private final Counter recoveries;
    private final Counter admissionRefusals;
    private final Map<Relay, Timer> relays = new java.util.EnumMap<>(Relay.class);
    private volatile Supplier<List<SessionSample>> sampler = List::of;

    public GatewayMetrics() {
        registry.config().meterFilter(PROMTOOL_CLEAN);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder(STREAM_CLIENTS, streamClients, AtomicInteger::get)
                .description("Clients connected to session streams now (browser pages, kernels, interpreters)")
                .register(registry);
        culls = Counter.builder(CULLS).description("Sessions deleted for being idle longer than their idle timeout")
                .register(registry);
        linkReconnects = Counter.builder(LINK_RECONNECTS)
                .description("Drivers that dialled back in after their link dropped").register(registry);
        recoveries = Counter.builder(RECOVERIES)
                .description("Sessions a restarted gateway took back from their running drivers (issue 15: 0 until then)")
                .register(registry);
        admissionRefusals = Counter.builder(ADMISSION_REFUSALS)
                .description("Sessions refused for a user's limits (429) or the gateway's capacity (503)")
                .register(registry);
        // Every cause and start kind is there from the first scrape, at 0: a rate over a series that appears late
        // misses its first increase.
        for (DriverExitCause cause : DriverExitCause.values()) {
            exitCounter(cause);
        }
        for (Start start : Start.values()) {
            startTimer(start);
        }
        for (Relay way : Relay.values()) {
            relays.put(way, Timer.builder(STREAM_RELAY)
                    .description("The gateway's own time relaying stream requests to drivers (in) and drivers' "
                            + "messages to clients (out)")
                    .tag("way", way.name()).serviceLevelObjectives(RELAY_BUCKETS).register(registry));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Where the sessions and executors gauges read from, at each scrape. */
    public void sampleSessionsFrom(Supplier<List<SessionSample>> sampler) {
        this.sampler = sampler;
    }

    /** The exposition, in Prometheus' text format (version 0.0.4), with the gauges read now. */
    public String scrape() {
        refreshGauges();
        return registry.scrape();
    }

    private void refreshGauges() {
        List<SessionSample> samples = sampler.get();
        Map<Tags, Long> bySessionTags = samples.stream().collect(Collectors.groupingBy(
                s -> Tags.of("state", s.state(), "kind", s.kind(), "placement", s.placement(), "runtime", s.runtime()),
                Collectors.counting()));
        sessions.register(bySessionTags.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue())).toList(), true);
        Map<String, Long> byExecutorState = samples.stream().flatMap(s -> s.executors().stream())
                .collect(Collectors.groupingBy(state -> state, TreeMap::new, Collectors.counting()));
        executors.register(byExecutorState.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey()), e.getValue())).toList(), true);
    }

    /** A session's driver became ready {@code took} after the session was created. */
    public void sessionStarted(Start start, Duration took) {
        startTimer(start).record(took);
    }

    /** A statement of {@code kind} finished with {@code outcome} ({@code ok}, {@code error}, {@code cancelled}). */
    public void statementFinished(String kind, String outcome, Duration took) {
        Timer.builder(STATEMENT_DURATION).description("Statements from accepted to finished, by kind and outcome")
                .tags("kind", kind, "outcome", outcome).serviceLevelObjectives(STATEMENT_BUCKETS)
                .register(registry).record(took);
    }

    /** The gateway relayed one request or message {@code way}, starting at {@code startNanos} ({@link System#nanoTime}). */
    public void relayed(Relay way, long startNanos) {
        relays.get(way).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void driverExited(DriverExitCause cause) {
        exitCounter(cause).increment();
    }

    public void sessionCulled() {
        culls.increment();
    }

    public void driverLinkReconnected() {
        linkReconnects.increment();
    }

    /** Called for each session a restarted gateway takes back (its driver dialled back). */
    public void sessionRecovered() {
        recoveries.increment();
    }

    /** Called by admission ({@code session/SessionAdmission}) for each session it refuses. */
    public void admissionRefused() {
        admissionRefusals.increment();
    }

    public void streamClientOpened() {
        streamClients.incrementAndGet();
    }

    public void streamClientClosed() {
        streamClients.decrementAndGet();
    }

    private Counter exitCounter(DriverExitCause cause) {
        return Counter.builder(DRIVER_EXITS).description("Drivers that ended, by cause").tag("cause", cause.name())
                .register(registry);
    }

    private Timer startTimer(Start start) {
        return Timer.builder(SESSION_START)
                .description("Session starts, from created to the driver ready (cold only: no warm pools yet)")
                .tag("start", start.name()).serviceLevelObjectives(START_BUCKETS).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return durations;
    }
}
