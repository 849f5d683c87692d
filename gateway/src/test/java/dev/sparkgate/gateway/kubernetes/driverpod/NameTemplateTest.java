package dev.sparkgate.gateway.kubernetes.driverpod;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NameTemplateTest {

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Test
    void aNameThatIsALabelPieceAlreadyGoesInAsItIsSoOperatorsCanNameNamespacesInAdvance() {
        NameTemplate template = NameTemplate.parse("SPARKGATE_NAMESPACE_TEMPLATE", "team-{group}");

        assertThat(template.render(null, "red")).isEqualTo("team-red");
        assertThat(template.render(null, "data-eng-2")).isEqualTo("team-data-eng-2");
        assertThat(template.needsGroup()).isTrue();
        assertThat(template.needsUser()).isFalse();
    }

    @Test
    void anyOtherNameIsCleanedAndMadeUniqueByItsHashSoTwoUsersNeverShareANamespace() {
        NameTemplate template = NameTemplate.parse("SPARKGATE_NAMESPACE_TEMPLATE", "spark-{user}");

        String dotted = template.render("alice.b@corp.example", null);
        String underscored = template.render("alice_b@corp.example", null);
        String upper = template.render("Alice", null);

        assertThat(dotted).startsWith("spark-alice-b-corp-example-").matches(LABEL);
        assertThat(underscored).startsWith("spark-alice-b-corp-example-").matches(LABEL).isNotEqualTo(dotted);
        assertThat(upper).startsWith("spark-alice-").matches(LABEL).isNotEqualTo("spark-alice");
        assertThat(template.render("Ωμέγα", null)).as("a name of no Latin letters").startsWith("spark-")
                .matches(LABEL);
        assertThat(template.render("alice.b@corp.example", null)).as("the same user, the same name").isEqualTo(dotted);
    }

    @Test
    void aLongNameIsCutTo63WithTheHashOfTheWholeSoItStaysUnique() {
        NameTemplate template = NameTemplate.parse("SPARKGATE_NAMESPACE_TEMPLATE", "team-{group}-{user}");
        String a = template.render("a".repeat(40), "b".repeat(40));
        String b = template.render("a".repeat(41), "b".repeat(40));

        assertThat(a).hasSize(63).matches(LABEL);
        assertThat(b).hasSizeLessThanOrEqualTo(63).matches(LABEL).isNotEqualTo(a);
    }

    @Test
    void aTemplateThatCannotMakeAValidNameIsRefusedAtStartNamingTheSetting() {
        assertThatThrownBy(() -> NameTemplate.parse("SPARKGATE_NAMESPACE_TEMPLATE", "team-{team}"))
                .hasMessageContaining("SPARKGATE_NAMESPACE_TEMPLATE").hasMessageContaining("{team}")
                .hasMessageContaining("{user} or {group}");
        assertThatThrownBy(() -> NameTemplate.parse("SPARKGATE_SERVICE_ACCOUNT_TEMPLATE", "Spark_{user}"))
                .hasMessageContaining("SPARKGATE_SERVICE_ACCOUNT_TEMPLATE").hasMessageContaining("lower case");
    }
}
