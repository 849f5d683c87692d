package dev.sparkgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a start's pods reached each milestone, in milliseconds after the start, as a client polling the API server
 * every {@value #POLL_MS} ms sees it (pods' own timestamps have whole seconds only). Driver pods carry
 * {@code spark-role=driver}, executor pods {@code spark-role=executor}, as Spark and the gateway label them.
 */
final class PodTimeline implements AutoCloseable {

    static final String DRIVER_POD = "driver pod created";
    static final String RUNTIME_COPIED = "driver pod's init container (runtime copy) done";
    static final String DRIVER_RUNNING = "driver container running (JVM starting)";
    static final String EXECUTORS_ASKED = "first executor pod created (SparkContext up, asking)";
    static final String EXECUTORS_RUNNING = "both executor containers running (JVMs starting)";

    private static final long POLL_MS = 100;

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI pods;
    private final String token;
    private final long t0;
    private final int executors;
    private final Map<String, Double> marks = new LinkedHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    /** Starts polling the namespace's pods; {@code t0} is the start's {@link System#nanoTime()}. */
    PodTimeline(Cluster cluster, long t0, int executors) {
        this.pods = URI.create(cluster.server() + "/api/v1/namespaces/" + cluster.namespace() + "/pods");
        this.token = cluster.token();
        this.t0 = t0;
        this.executors = executors;
        this.poller = new Thread(this::poll, "pod-timeline");
        poller.setDaemon(true);
        poller.start();
    }

    /** Where the emulated cluster's API server is, and the admin token the kubeconfig holds. */
    record Cluster(String server, String token, String namespace) {

        static Cluster of(String kubeconfig) {
            return new Cluster(
                    kubectl(kubeconfig, "{.clusters[0].cluster.server}"),
                    kubectl(kubeconfig, "{.users[0].user.token}"),
                    "default");
        }

        private static String kubectl(String kubeconfig, String jsonPath) {
            return Commands.output("kubectl", "--kubeconfig", kubeconfig, "config", "view", "--raw", "--minify",
                    "-o", "jsonpath=" + jsonPath).trim();
        }

        String masterUrl() {
            return "k8s://" + server;
        }
    }

    private void poll() {
        while (running) {
            try {
                record(list(), (System.nanoTime() - t0) / 1e6);
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // A poll that failed is a missed sample, not a failed run: the next one looks again.
            }
        }
    }

    private JsonNode list() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(pods).timeout(Duration.ofSeconds(5));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return Json.MAPPER.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private synchronized void record(JsonNode list, double at) {
        int executorsRunning = 0;
        for (JsonNode pod : list.path("items")) {
            String role = pod.path("metadata").path("labels").path("spark-role").asText();
            JsonNode status = pod.path("status");
            if (role.equals("driver")) {
                marks.putIfAbsent(DRIVER_POD, at);
                JsonNode init = status.path("initContainerStatuses");
                int done = 0;
                for (JsonNode container : init) {
                    done += container.path("state").has("terminated") ? 1 : 0;
                }
                if (init.size() > 0 && done == init.size()) {
                    marks.putIfAbsent(RUNTIME_COPIED, at);
                }
                if (running(status)) {
                    marks.putIfAbsent(DRIVER_RUNNING, at);
                }
            } else if (role.equals("executor")) {
                marks.putIfAbsent(EXECUTORS_ASKED, at);
                executorsRunning += running(status) ? 1 : 0;
            }
        }
        if (executorsRunning >= executors) {
            marks.putIfAbsent(EXECUTORS_RUNNING, at);
        }
    }

    private static boolean running(JsonNode status) {
        JsonNode containers = status.path("containerStatuses");
        return containers.size() > 0 && !containers.get(0).path("state").path("running").isMissingNode();
    }

    /** The milestones seen so far, in the order they were first seen. */
    synchronized Map<String, Double> marks() {
        return new LinkedHashMap<>(marks);
    }

    /** Waits until the namespace has no pods left (the last start's are gone), so that starts do not overlap. */
    void awaitNoPods(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (list().path("items").size() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pods still in " + pods + " after " + timeout + ": "
                        + list().path("items").findValues("name"));
            }
            Thread.sleep(POLL_MS);
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
