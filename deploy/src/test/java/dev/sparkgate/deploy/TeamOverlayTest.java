package dev.sparkgate.deploy;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-namespace-per-team overlay: the whole base, moved into the team's namespace, with the team's defaults. */
class TeamOverlayTest {

    private static final String TEAM = "spark-team-a";
    private static Manifests team;

    @BeforeAll
    static void render() {
        team = Manifests.render("deploy/kubernetes/overlays/team-namespace");
    }

    @Test
    void everythingMovesIntoTheTeamsNamespace() {
        // then the Namespace object is the team's, every other object is in it, and nothing is left in the base's
        assertThat(team.all(Namespace.class)).extracting(n -> n.getMetadata().getName()).containsExactly(TEAM);
        assertThat(team.objects()).filteredOn(o -> !(o instanceof Namespace))
                .extracting(HasMetadata::getMetadata).allSatisfy(m -> assertThat(m.getNamespace()).isEqualTo(TEAM));
        assertThat(team.one(RoleBinding.class, "sparkgate").getSubjects())
                .allSatisfy(s -> assertThat(s.getNamespace()).isEqualTo(TEAM));
    }

    @Test
    void theTeamGetsTheSameRoleAndItsOwnExecutorDefaults() {
        // given the base and the team's settings
        String baseConf = Manifests.render("deploy/kubernetes/base").one(ConfigMap.class, "sparkgate-settings")
                .getData().get("SPARKGATE_SPARK_CONF");
        String teamConf = team.one(ConfigMap.class, "sparkgate-settings").getData().get("SPARKGATE_SPARK_CONF");

        // then the permissions are unchanged, the defaults are the team's, and claims stay off (see role.yaml)
        assertThat(RoleTest.grants(team.one(Role.class, "sparkgate"))).hasSize(RequiredPermission.GATEWAY_WITH_DRIVER_PODS.size());
        assertThat(teamConf).isNotEqualTo(baseConf)
                .contains("spark.kubernetes.driver.ownPersistentVolumeClaim=false")
                .contains("spark.kubernetes.driver.reusePersistentVolumeClaim=false");
        assertThat(team.one(ConfigMap.class, "sparkgate-settings").getData())
                .containsKeys("SPARKGATE_EXECUTOR_IMAGE", "SPARKGATE_CONF_DENY");
    }
}
