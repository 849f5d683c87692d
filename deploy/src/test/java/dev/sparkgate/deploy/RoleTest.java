package dev.sparkgate.deploy;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Role grants exactly what the gateway's permission preflight asks for ({@link RequiredPermission#ALL}): every
 * verb the gateway and Spark need, and no more.
 */
class RoleTest {

    /** One grant: an API group, a resource (with its subresource, as RBAC names it) and a verb. */
    record Grant(String group, String resource, String verb) {
    }

    @Test
    void theRoleGrantsExactlyWhatThePreflightAsksFor() {
        // given the Role as rendered, and what the gateway checks before the first session
        List<Grant> granted = grants(Manifests.render("deploy/kubernetes/base").one(Role.class, "sparkgate"));
        List<Grant> required = RequiredPermission.ALL.stream()
                .map(p -> new Grant(p.group(), p.resourceName(), p.verb())).toList();

        // then each required grant is there once, and nothing else is
        assertThat(granted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(required);
    }

    @Test
    void noRuleReachesBeyondItsResources() {
        // given the Role's rules
        Role role = Manifests.render("deploy/kubernetes/base").one(Role.class, "sparkgate");

        // then none widens by name lists, URLs or wildcards
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @Test
    void everyVerbSaysWhyItIsThere() {
        // given the Role's source, where each verb is one line with its reason
        String source = Repository.read("deploy/kubernetes/base/role.yaml");

        // then each required verb's line carries the reason the gateway gives for it
        for (RequiredPermission permission : RequiredPermission.ALL) {
            assertThat(source).as(permission.verb() + " " + permission.resourceName())
                    .containsPattern("(?m)^\\s*- " + Pattern.quote(permission.verb()) + "\\s+# "
                            + Pattern.quote(permission.why()) + "$");
        }
    }

    static List<Grant> grants(Role role) {
        List<Grant> grants = new ArrayList<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }
}
