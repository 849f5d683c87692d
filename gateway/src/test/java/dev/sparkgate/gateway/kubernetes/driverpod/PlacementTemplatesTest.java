package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.placement.SessionOwner;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class PlacementTemplatesTest {

    private static final Map<String, String> BY_GROUP = Map.of("SPARKGATE_NAMESPACE_TEMPLATE", "team-{group}",
            "SPARKGATE_SERVICE_ACCOUNT_TEMPLATE", "spark-{group}");

    private static SessionOwner owner(String name, String... groups) {
        return new SessionOwner(name, Set.of(groups));
    }

    @Test
    void withoutTemplatesEverySessionKeepsTheGatewaysNamespaceAndAccount() {
        assertThat(PlacementTemplates.fromEnvironment(Map.of()).confFor(owner("alice", "red"), Map.of())).isEmpty();
    }

    @Test
    void aUsersOnlyGroupNamesTheNamespaceAndTheDriversAndExecutorsAccount() {
        assertThat(PlacementTemplates.fromEnvironment(BY_GROUP).confFor(owner("alice", "red"), Map.of()))
                .containsExactly(entry("spark.kubernetes.namespace", "team-red"),
                        entry("spark.kubernetes.authenticate.driver.serviceAccountName", "spark-red"),
                        entry("spark.kubernetes.authenticate.executor.serviceAccountName", "spark-red"));
    }

    @Test
    void aUserTemplateNeedsNoGroup() {
        PlacementTemplates byUser = PlacementTemplates.fromEnvironment(Map.of("SPARKGATE_NAMESPACE_TEMPLATE",
                "spark-{user}"));

        assertThat(byUser.confFor(owner("carol"), Map.of()))
                .containsExactly(entry("spark.kubernetes.namespace", "spark-carol"));
        assertThatThrownBy(() -> byUser.confFor(owner(null), Map.of())).isInstanceOf(NotPermitted.class)
                .hasMessageContaining("sign in");
    }

    @Test
    void aUserInSeveralGroupsTakesTheOneTheSessionAsksForOrTheOperatorsFirstOrIsAskedToChoose() {
        SessionOwner erin = owner("erin", "red", "blue");
        PlacementTemplates noList = PlacementTemplates.fromEnvironment(BY_GROUP);
        Map<String, String> withList = new java.util.HashMap<>(BY_GROUP);
        withList.put("SPARKGATE_PLACEMENT_GROUPS", "blue, red");

        assertThat(noList.confFor(erin, Map.of("sparkgate.group", "red")))
                .containsEntry("spark.kubernetes.namespace", "team-red");
        assertThat(PlacementTemplates.fromEnvironment(withList).confFor(erin, Map.of()))
                .containsEntry("spark.kubernetes.namespace", "team-blue");
        assertThatThrownBy(() -> noList.confFor(erin, Map.of())).isInstanceOf(BadRequest.class)
                .hasMessageContaining("blue, red").hasMessageContaining("sparkgate.group");
    }

    @Test
    void aUserInNoGroupThatHasAPlaceOrAskingForAnothersGroupIsRefusedSayingWhatToDo() {
        Map<String, String> withList = new java.util.HashMap<>(BY_GROUP);
        withList.put("SPARKGATE_PLACEMENT_GROUPS", "red,blue");
        PlacementTemplates templates = PlacementTemplates.fromEnvironment(withList);

        assertThatThrownBy(() -> templates.confFor(owner("carol"), Map.of())).isInstanceOf(NotPermitted.class)
                .hasMessageContaining("team-{group}").hasMessageContaining("carol")
                .hasMessageContaining("Ask the operator");
        assertThatThrownBy(() -> templates.confFor(owner("admin", "admins"), Map.of()))
                .isInstanceOf(NotPermitted.class).hasMessageContaining("none of the groups that have a place (red, blue");
        assertThatThrownBy(() -> templates.confFor(owner("alice", "red"), Map.of("sparkgate.group", "blue")))
                .isInstanceOf(NotPermitted.class).hasMessageContaining("'blue'").hasMessageContaining("not in it");
        assertThatThrownBy(() -> templates.confFor(owner("alice", "red", "admins"), Map.of("sparkgate.group", "admins")))
                .isInstanceOf(NotPermitted.class).hasMessageContaining("has no place");
    }
}
