package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.errors.ConfNotAllowed;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What places drivers and executors is the operator's; the operator may open or close more. */
class ConfPolicyTest {

    @Test
    void placementConfsAreTheOperatorsAndTheRefusalSaysHowToAllowThem() {
        ConfPolicy policy = ConfPolicy.fromEnvironment(Map.of());

        assertThatThrownBy(() -> policy.check(Map.of("spark.master", "yarn"))).isInstanceOf(ConfNotAllowed.class)
                .hasMessageContaining("'spark.master'").hasMessageContaining("SPARKGATE_CONF_ALLOW");
        assertThatThrownBy(() -> policy.check(Map.of("spark.kubernetes.authenticate.oauthToken", "t")))
                .isInstanceOf(ConfNotAllowed.class);
        assertThatCode(() -> policy.check(Map.of("spark.executor.memory", "2g"))).doesNotThrowAnyException();
    }

    @Test
    void theOperatorMayAllowAReservedConfOrDenyAnother() {
        ConfPolicy policy = ConfPolicy.fromEnvironment(Map.of("SPARKGATE_CONF_ALLOW", "spark.kubernetes.namespace",
                "SPARKGATE_CONF_DENY", "spark.executor.memory, spark.sql.*"));

        assertThatCode(() -> policy.check(Map.of("spark.kubernetes.namespace", "team-a"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(Map.of("spark.executor.memory", "64g"))).isInstanceOf(ConfNotAllowed.class);
        assertThatThrownBy(() -> policy.check(Map.of("spark.sql.shuffle.partitions", "1")))
                .isInstanceOf(ConfNotAllowed.class);
    }

    @Test
    void aDriverPodsImageTemplateVolumesAndTheGatewaysLabelsAreTheOperatorsButNodeSelectorsAreTheUsers() {
        ConfPolicy policy = ConfPolicy.fromEnvironment(Map.of());

        assertThatThrownBy(() -> policy.check(Map.of("spark.kubernetes.driver.podTemplateFile", "/etc/shadow")))
                .isInstanceOf(ConfNotAllowed.class).hasMessageContaining("'spark.kubernetes.driver.podTemplateFile'");
        assertThatThrownBy(() -> policy.check(Map.of("spark.kubernetes.driver.volumes.hostPath.root.mount.path", "/h")))
                .isInstanceOf(ConfNotAllowed.class).hasMessageContaining("spark.kubernetes.driver.volumes.hostPath");
        assertThatThrownBy(() -> policy.check(Map.of("spark.kubernetes.driver.label.sparkgate.dev/session", "9")))
                .isInstanceOf(ConfNotAllowed.class);
        policy.check(Map.of("spark.kubernetes.driver.node.selector.pool", "spark",
                "spark.kubernetes.driver.label.team", "risk", "spark.kubernetes.driver.annotation.owner", "ana"));
    }
}
