package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.TestGateway;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Before the first session in a namespace, the gateway asks the API server whether it may do what sessions need. */
class PermissionPreflightTest {

    private static EmulatedCluster cluster;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        cluster = EmulatedKubernetes.start("preflight");
        cluster.deny("deletecollection", "pods", "default", "RBAC: no rule grants it");
        gateway = TestGateway.start(EmulatedKubernetes.gatewaySettings(cluster, "gw-preflight", "41200-41299"));
    }

    @AfterAll
    static void stop() {
        // null where @BeforeAll skipped for want of a tool
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMissingPermissionRefusesTheSessionNamingTheVerbAndCreatesNoPod() {
        LivyClient.Reply refused = gateway.livy().post("/sessions", Map.of("kind", "sql", "numExecutors", 1));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.msg()).contains("namespace 'default'", "deletecollection pods", "deploy/kubernetes/base");
        assertThat(cluster.client().pods().inNamespace("default").list().getItems()).isEmpty();
        assertThat(gateway.livy().get("/sessions").body().path("total").asInt()).isZero();
    }
}
