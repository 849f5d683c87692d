package dev.sparkgate.gateway.kubernetes.driverpod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayProcess;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestUsers;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions placed by their user's group, on the emulated cluster: with {@code SPARKGATE_NAMESPACE_TEMPLATE=team-{group}}
 * and {@code SPARKGATE_SERVICE_ACCOUNT_TEMPLATE=spark-{group}}, alice (group red) and bob (group blue) get their driver
 * pods, Secrets and executors in team-red and team-blue, running as spark-red and spark-blue. A user in no group, one
 * whose team's namespace does not exist, and one asking for a group not theirs are refused with what to do, and nothing
 * is created for them. A session made for another user (bob's, by an impersonating service through {@code proxyUser};
 * a kernel of alice's through {@code KERNEL_USERNAME}) has that user's groups from the users file and lands in their
 * team. A gateway killed and started again finds every team's drivers and takes them back, and the kernel it rebuilt
 * keeps its owner's groups: restarting it places the new driver in team-red again.
 */
class TeamPlacementTest {

    private static final String INSTANCE = "gw-teams";
    private static final Path IMAGES = Path.of(System.getProperty("sparkgate.test.work", "target/test-work"))
            .toAbsolutePath().resolve("images-team-placement");

    @Test
    void eachTeamsSessionsRunInItsNamespaceAsItsAccountAndARestartedGatewayFindsThemAll() throws Exception {
        // given: namespaces team-red and team-blue, each with its drivers' account, and no team-green
        EmulatedCluster cluster = EmulatedKubernetes.startForDriverPods("teams", IMAGES, false);
        EmulatedKubernetes.teamNamespace(cluster, "team-red", "spark-red");
        EmulatedKubernetes.teamNamespace(cluster, "team-blue", "spark-blue");
        Map<String, String> env = new HashMap<>(EmulatedKubernetes.gatewaySettings(cluster, INSTANCE, "41400-41499"));
        env.putAll(EmulatedKubernetes.podPlacementSettings());
        env.put("SPARKGATE_USERS_FILE", TestUsers.file("alice:alice-token:red", "bob:bob-token:blue",
                "carol:carol-token:", "dave:dave-token:green", "zeppelin:zeppelin-token:").toString());
        env.put("SPARKGATE_IMPERSONATORS", "zeppelin");
        env.put("SPARKGATE_NAMESPACE_TEMPLATE", "team-{group}");
        env.put("SPARKGATE_SERVICE_ACCOUNT_TEMPLATE", "spark-{group}");
        env.put("SPARKGATE_DRIVER_ORPHAN_TIMEOUT", "90s");
        int port = GatewayProcess.freePort();
        Path firstWork = GatewayProcess.freshWorkDir("teams-first");
        GatewayProcess first = GatewayProcess.start(firstWork, port, env, firstWork.resolve("gateway.log"));
        GatewayProcess second = null;
        try {
            LivyClient alice = new LivyClient(first.baseUri(), "alice-token");
            LivyClient bob = new LivyClient(first.baseUri(), "bob-token");
            LivyClient zeppelin = new LivyClient(first.baseUri(), "zeppelin-token");

            // when: alice creates a session, and a service in no group creates one for bob (proxyUser), each with one
            // executor (SQL: no Scala compiler to warm up); and the service starts a kernel for alice (KERNEL_USERNAME)
            int red = alice.createIdleSession(Map.of("kind", "sql", "numExecutors", 1));
            int blue = zeppelin.createIdleSession(Map.of("kind", "sql", "numExecutors", 1, "proxyUser", "bob"));
            LivyClient.Reply started = zeppelin.post("/api/kernels", Map.of("name", "sparkgate_sql",
                    "env", Map.of("KERNEL_USERNAME", "alice")));
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            String kernel = started.body().path("id").asText();
            int kernelSession = alice.get("/sessions/" + kernel).body().path("id").asInt();
            alice.awaitState(kernelSession, "idle", Duration.ofSeconds(120));

            // then: each driver pod, its Secret and its executor are in the team's namespace, as the team's account
            Pod redDriver = assertPlaced(cluster, red, "team-red", "spark-red", "alice");
            Pod blueDriver = assertPlaced(cluster, blue, "team-blue", "spark-blue", "bob");
            Pod kernelDriver = cluster.client().pods().inNamespace("team-red")
                    .withName("sg-" + INSTANCE + "-s" + kernelSession + "-driver").get();
            assertThat(kernelDriver).as("alice's kernel's driver, made by the service, in team-red").isNotNull();
            assertThat(kernelDriver.getSpec().getServiceAccountName()).isEqualTo("spark-red");
            assertThat(alice.run(red, "sql", "SELECT sum(id) AS total FROM range(1, 11, 1, 2)").path("output")
                    .toString()).as("a job on alice's executor in team-red").contains("55");
            assertThat(cluster.client().pods().inNamespace("default").withLabel("sparkgate.dev/gateway", INSTANCE)
                    .list().getItems()).as("pods of this gateway's sessions in its own namespace").isEmpty();

            // and: those the templates have no place for are refused, saying why, with nothing created for them
            LivyClient.Reply carol = new LivyClient(first.baseUri(), "carol-token").post("/sessions",
                    Map.of("kind", "spark"));
            assertThat(carol.status()).as(carol.toString()).isEqualTo(403);
            assertThat(carol.msg()).contains("team-{group}", "carol", "in no group");
            LivyClient.Reply dave = new LivyClient(first.baseUri(), "dave-token").post("/sessions",
                    Map.of("kind", "spark"));
            assertThat(dave.status()).as(dave.toString()).isEqualTo(409);
            assertThat(dave.msg()).contains("'team-green'", "does not exist", "spark-green");
            LivyClient.Reply notHers = alice.post("/sessions",
                    Map.of("kind", "spark", "conf", Map.of("sparkgate.group", "blue")));
            assertThat(notHers.status()).as(notHers.toString()).isEqualTo(403);
            assertThat(notHers.msg()).contains("'blue'", "not in it", "red");
            assertThat(driverPods(cluster)).as("driver pods of this gateway, anywhere").hasSize(3);
            assertThat(cluster.client().secrets().inAnyNamespace().withLabel("sparkgate.dev/gateway", INSTANCE)
                    .list().getItems()).as("Secrets of this gateway, anywhere").hasSize(3);

            // when: the gateway is killed and started again (a new work directory: the API server is the store)
            first.kill();
            Path secondWork = GatewayProcess.freshWorkDir("teams-second");
            second = GatewayProcess.start(secondWork, port, env, secondWork.resolve("gateway.log"));

            // then: every team's sessions are back, idle, on the same pods
            LivyClient aliceAgain = new LivyClient(second.baseUri(), "alice-token");
            LivyClient bobAgain = new LivyClient(second.baseUri(), "bob-token");
            aliceAgain.awaitState(red, "idle", Duration.ofSeconds(90));
            bobAgain.awaitState(blue, "idle", Duration.ofSeconds(90));
            assertThat(driverPods(cluster)).extracting(p -> p.getMetadata().getUid())
                    .containsExactlyInAnyOrder(redDriver.getMetadata().getUid(), blueDriver.getMetadata().getUid(),
                            kernelDriver.getMetadata().getUid());
            assertThat(bobAgain.run(blue, "sql", "SELECT count(*) AS n FROM range(0, 4321, 1, 2)").path("output")
                    .toString()).as("a job on bob's executor after the restart").contains("4321");

            // and: the kernel the new gateway rebuilt still has alice's groups: restarted, its new driver is in team-red
            LivyClient.Reply restarted = aliceAgain.post("/api/kernels/" + kernel + "/restart", Map.of());
            assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
            int newKernelSession = aliceAgain.get("/sessions/" + kernel).body().path("id").asInt();
            assertThat(newKernelSession).isNotEqualTo(kernelSession);
            aliceAgain.awaitState(newKernelSession, "idle", Duration.ofSeconds(120));
            assertThat(cluster.client().pods().inNamespace("team-red")
                    .withName("sg-" + INSTANCE + "-s" + newKernelSession + "-driver").get())
                    .as("the restarted kernel's driver in team-red").isNotNull();

            assertThat(aliceAgain.delete("/api/kernels/" + kernel).status()).isEqualTo(204);
            assertThat(aliceAgain.delete("/sessions/" + red).status()).isEqualTo(200);
            assertThat(bobAgain.delete("/sessions/" + blue).status()).isEqualTo(200);
            Await.until("every driver pod gone with its session", Duration.ofSeconds(60),
                    () -> driverPods(cluster).isEmpty());
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            cluster.close();
        }
    }

    private static List<Pod> driverPods(EmulatedCluster cluster) {
        return cluster.client().pods().inAnyNamespace().withLabel("sparkgate.dev/gateway", INSTANCE)
                .withLabel("spark-role", "driver").list().getItems();
    }

    /** Session {@code id}'s driver pod, Secret and running executor are in {@code namespace}, as {@code account}. */
    private static Pod assertPlaced(EmulatedCluster cluster, int id, String namespace, String account, String owner) {
        String name = "sg-" + INSTANCE + "-s" + id + "-driver";
        Pod driver = cluster.client().pods().inNamespace(namespace).withName(name).get();
        assertThat(driver).as("driver pod %s in %s", name, namespace).isNotNull();
        assertThat(driver.getSpec().getServiceAccountName()).as("the driver's account").isEqualTo(account);
        assertThat(driver.getMetadata().getLabels()).containsEntry("sparkgate.dev/owner", owner);
        Secret secret = cluster.client().secrets().inNamespace(namespace).withName("sg-" + INSTANCE + "-s" + id + "-secret")
                .get();
        assertThat(secret).as("the session's Secret in %s", namespace).isNotNull();
        List<Pod> executors = Await.value("a running executor of session " + id + " in " + namespace,
                Duration.ofSeconds(60), () -> cluster.client().pods().inNamespace(namespace)
                        .withLabel("spark-role", "executor").withLabel("sparkgate.dev/session", String.valueOf(id))
                        .list().getItems(),
                pods -> pods.size() == 1 && "Running".equals(pods.get(0).getStatus().getPhase()));
        assertThat(executors.get(0).getSpec().getServiceAccountName()).as("the executor's account").isEqualTo(account);
        return driver;
    }
}
