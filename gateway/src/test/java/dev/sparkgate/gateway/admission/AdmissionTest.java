package dev.sparkgate.gateway.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fair share, through a real gateway with real drivers: a user over their limit is refused with 429 naming it, the
 * gateway over its capacity with 503 and Retry-After, and what it accepts beyond its start slots waits and starts.
 * Sessions are counted when they are accepted, not when their drivers run, so a limit of 23 is tested with 23
 * sessions of which one driver starts at a time (the others wait, as {@code not_started}, and are deleted before
 * their turn): the count is honest without 23 JVMs on 2 cores.
 */
class AdmissionTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession()
            .with("SPARKGATE_USER_MAX_SESSIONS", "23")
            .with("SPARKGATE_USER_MAX_EXECUTORS", "4")
            // 18g holds alice's 23 sessions of the tests' default heap (23 x 768m = 17664 MiB), not two of 10g
            .with("SPARKGATE_USER_MAX_DRIVER_MEMORY", "18g")
            .with("SPARKGATE_MAX_SESSIONS", "30")
            .with("SPARKGATE_MAX_STARTING", "1")
            // the machine's own heap limit would vary with the CI machine's memory; this class tests the counts
            .with("SPARKGATE_MAX_DRIVER_MEMORY_TOTAL", "0");

    private static final Duration STARTED = Duration.ofSeconds(150);

    @Test
    void theTwentyFourthSessionOfAUserWithALimitOf23IsRefusedWith429AndOtherUsersGoOn() throws Exception {
        LivyClient livy = gateway.livy();
        List<Integer> created = new ArrayList<>();
        try {
            // given alice holds 23 sessions: one starting, the rest waiting for the gateway's one start slot
            for (int i = 0; i < 23; i++) {
                LivyClient.Reply reply = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "alice"));
                assertThat(reply.status()).as("session %d of alice: %s", i + 1, reply.body()).isEqualTo(201);
                created.add(reply.body().path("id").asInt());
            }
            int lastOfAlice = created.get(22);
            assertThat(livy.get("/sessions/" + lastOfAlice).body().path("state").asText()).isEqualTo("not_started");

            // when she asks for a 24th, through Livy's API and through the Kernel Gateway API
            LivyClient.Reply refused = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "alice"));
            LivyClient.Reply kernel = livy.post("/api/kernels", Map.of("name", "sparkgate_sql",
                    "env", Map.of("KERNEL_USERNAME", "alice")));

            // then both are 429, naming the limit and what she holds
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.msg()).contains("User 'alice' has 23 sessions", "SPARKGATE_USER_MAX_SESSIONS=23",
                    "delete one of them");
            assertThat(kernel.status()).isEqualTo(429);
            assertThat(kernel.body().path("message").asText()).contains("User 'alice' has 23 sessions");
            assertThat(kernel.body().path("reason").asText()).isEqualTo("Too Many Requests");
            assertThat(refusalsCounted()).as("sparkgate_admission_refusals_total").isGreaterThanOrEqualTo(2);

            // and another user's limit is their own
            LivyClient.Reply bobs = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "bob"));
            assertThat(bobs.status()).as("bob: %s", bobs.body()).isEqualTo(201);
            created.add(bobs.body().path("id").asInt());

            // when alice deletes a waiting session, it leaves the queue without ever starting, and frees her place
            assertThat(livy.delete("/sessions/" + lastOfAlice).status()).isEqualTo(200);
            created.remove(Integer.valueOf(lastOfAlice));
            List<String> log = new ArrayList<>();
            livy.get("/sessions/" + lastOfAlice + "/log").body().path("log").forEach(line -> log.add(line.asText()));
            assertThat(log).anyMatch(line -> line.contains("waiting to start"))
                    .noneMatch(line -> line.contains("driver ready"));
            LivyClient.Reply again = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "alice"));
            assertThat(again.status()).as("alice after a delete: %s", again.body()).isEqualTo(201);
            created.add(again.body().path("id").asInt());
        } finally {
            // the waiting ones first, so that no driver gets its turn while the rest go
            Collections.reverse(created);
            created.forEach(id -> livy.delete("/sessions/" + id));
        }
    }

    @Test
    void executorsBeyondAUsersLimitAreRefusedWith429BeforeAnythingStarts() {
        LivyClient.Reply refused = gateway.livy().post("/sessions", Map.of("kind", "sql", "proxyUser", "carol",
                "numExecutors", 5));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.msg()).contains("User 'carol' may have 4 executors at once (SPARKGATE_USER_MAX_EXECUTORS)",
                "this one asks for 5: ask for 4 or fewer");
        assertThat(gateway.livy().get("/sessions").body().path("sessions").findValuesAsText("owner"))
                .doesNotContain("carol");
    }

    @Test
    void driverMemoryBeyondAUsersLimitAloneOrWithWhatTheyHoldIsRefusedWith429() {
        LivyClient livy = gateway.livy();
        // given erin holds one session of 10g
        LivyClient.Reply first = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "erin", "driverMemory", "10g"));
        assertThat(first.status()).as("erin's first: %s", first.body()).isEqualTo(201);
        int held = first.body().path("id").asInt();
        try {
            // when she asks for another 10g, and for 19g in one
            LivyClient.Reply second = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "erin",
                    "driverMemory", "10g"));
            LivyClient.Reply alone = livy.post("/sessions", Map.of("kind", "sql", "proxyUser", "frank",
                    "driverMemory", "19g"));

            // then both are 429, naming the limit, what is held and what was asked
            assertThat(second.status()).as(second.toString()).isEqualTo(429);
            assertThat(second.msg()).contains("User 'erin' may have 18432 MiB of driver memory at once "
                    + "(SPARKGATE_USER_MAX_DRIVER_MEMORY)", "their sessions have 10240 MiB", "asks for 10240 MiB");
            assertThat(alone.status()).as(alone.toString()).isEqualTo(429);
            assertThat(alone.msg()).contains("User 'frank'", "their sessions have 0 MiB", "asks for 19456 MiB");
            assertThat(livy.get("/sessions").body().path("sessions").findValuesAsText("owner"))
                    .containsOnlyOnce("erin").doesNotContain("frank");
        } finally {
            livy.delete("/sessions/" + held);
        }
    }

    /**
     * The burst is 30 creations on a gateway starting 4 at once; scaled down to 5 on a gateway holding 3 and
     * starting 2 at once (30 drivers do not fit 2 cores), which keeps every behaviour: some start, one waits, the rest
     * are refused, and everything accepted ends idle.
     */
    @Test
    void aBurstOnAGatewayStartingTwoAtOnceEndsWithEveryAcceptedSessionIdleAndTheRestClearlyRefused() {
        try (TestGateway small = TestGateway.start(Map.of("SPARKGATE_MAX_STARTING", "2", "SPARKGATE_MAX_SESSIONS", "3",
                "SPARKGATE_MAX_DRIVER_MEMORY_TOTAL", "0"))) {
            LivyClient livy = small.livy();

            // when 5 creations arrive at once
            List<LivyClient.Reply> replies = IntStream.range(0, 5)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> livy.post("/sessions", Map.of("kind", "sql"))))
                    .toList().stream().map(CompletableFuture::join).toList();

            // then 3 are accepted, one of them to wait for a start slot, and 2 are refused for capacity
            List<LivyClient.Reply> accepted = replies.stream().filter(r -> r.status() == 201).toList();
            List<LivyClient.Reply> refused = replies.stream().filter(r -> r.status() != 201).toList();
            assertThat(accepted).hasSize(3);
            assertThat(accepted).extracting(r -> r.body().path("state").asText())
                    .containsExactlyInAnyOrder("starting", "starting", "not_started");
            assertThat(refused).hasSize(2).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headers().get("retry-after")).containsExactly("30");
                assertThat(r.msg()).contains("holds 3 sessions, the most it takes (SPARKGATE_MAX_SESSIONS=3)");
            });

            // and every accepted session ends idle, the one that waited too, and runs a statement
            List<Integer> ids = accepted.stream().map(r -> r.body().path("id").asInt()).toList();
            ids.forEach(id -> livy.awaitState(id, "idle", STARTED));
            int waited = accepted.stream().filter(r -> r.body().path("state").asText().equals("not_started"))
                    .findFirst().orElseThrow().body().path("id").asInt();
            JsonNode result = livy.run(waited, "sql", "SELECT 6 * 7 AS answer");
            assertThat(result.path("output").path("status").asText()).isEqualTo("ok");

            // when one is deleted, its place is free again
            assertThat(livy.post("/sessions", Map.of("kind", "sql")).status()).isEqualTo(503);
            livy.delete("/sessions/" + ids.get(0));
            LivyClient.Reply next = livy.post("/sessions", Map.of("kind", "sql"));
            assertThat(next.status()).as("after a delete: %s", next.body()).isEqualTo(201);
        }
    }

    private static long refusalsCounted() throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.baseUri().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^sparkgate_admission_refusals_total (\\S+)$").matcher(metrics.body());
        assertThat(m.find()).as("the refusals counter in %s", metrics.body().length()).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
