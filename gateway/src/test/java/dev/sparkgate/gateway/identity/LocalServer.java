package dev.sparkgate.gateway.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests' Jupyter processes (a Hub, a Jupyter Server) share: a port, their REST APIs, and stopping them. */
final class LocalServer {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalServer() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request with Jupyter's {@code Authorization: token T}; {@code body} is JSON, or null for none. */
    static HttpResponse<String> send(URI base, String method, String path, String body, String token) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "token " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code process} is up and {@code path} answers 200. */
    static boolean answers(Process process, URI base, String path, String token) {
        try {
            return process.isAlive() && send(base, "GET", path, null, token).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Stops {@code process} and what it started (by their pids, never by name). */
    static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }
}
