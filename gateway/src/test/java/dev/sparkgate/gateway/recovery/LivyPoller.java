package dev.sparkgate.gateway.recovery;

import dev.sparkgate.gateway.testing.LivyClient;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A Livy client polling a session's state every 100 ms, as sparkmagic does while a cell runs. */
final class LivyPoller {
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private LivyPoller(LivyClient livy, int session) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    LivyClient.Reply reply = livy.get("/sessions/" + session);
                    seen.add(reply.status() == 200 ? reply.body().path("state").asText()
                            : "HTTP " + reply.status() + " " + reply.body());
                } catch (UncheckedIOException e) {
                    // refused while no gateway listens; lost when the gateway is killed mid-request
                    seen.add(e.getCause() instanceof java.net.ConnectException ? "connection refused"
                            : "connection lost");
                }
                LivyClient.sleep(100);
            }
        }, "livy-poller");
        thread.setDaemon(true);
    }

    static LivyPoller start(LivyClient livy, int session) {
        LivyPoller poller = new LivyPoller(livy, session);
        poller.thread.start();
        return poller;
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }

    List<String> seen() {
        return List.copyOf(seen);
    }
}
