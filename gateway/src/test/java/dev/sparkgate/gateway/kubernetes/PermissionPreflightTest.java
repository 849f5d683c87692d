package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.testing.EmulatedKubernetes;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Before the first session in a namespace, the gateway asks the API server whether it may do what sessions need. */
class PermissionPreflightTest {

    /** A cluster whose RBAC does not grant the gateway a verb that sessions need. */
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().onEmulatedCluster("gw-preflight",
            "41200-41299", () -> {
                EmulatedCluster cluster = EmulatedKubernetes.start("preflight");
                cluster.deny("deletecollection", "pods", "default", "RBAC: no rule grants it");
                return cluster;
            });

    @Test
    void aMissingPermissionRefusesTheSessionNamingTheVerbAndCreatesNoPod() {
        EmulatedCluster cluster = gateway.cluster();

        // when a session is asked for there
        LivyClient.Reply refused = gateway.livy().post("/sessions", Map.of("kind", "sql", "numExecutors", 1));

        // then it is refused naming the verb, and nothing was created
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.msg()).contains("namespace 'default'", "deletecollection pods", "deploy/kubernetes/base");
        assertThat(cluster.client().pods().inNamespace("default").list().getItems()).isEmpty();
        assertThat(gateway.livy().get("/sessions").body().path("total").asInt()).isZero();
    }
}
