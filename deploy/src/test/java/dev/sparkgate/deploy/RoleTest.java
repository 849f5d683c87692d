package dev.sparkgate.deploy;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Roles grant exactly what the gateway's permission preflight asks for: the gateway's own
 * ({@link RequiredPermission#GATEWAY_WITH_DRIVER_PODS}: driver pods, their Secrets, logs) and the drivers'
 * ({@link RequiredPermission#DRIVER}: Spark's executors), every verb each needs, and no more.
 */
class RoleTest {

    /** One grant: an API group, a resource (with its subresource, as RBAC names it) and a verb. */
    record Grant(String group, String resource, String verb) {
    }

    @ParameterizedTest
    @CsvSource({"sparkgate, GATEWAY_WITH_DRIVER_PODS", "sparkgate-driver, DRIVER"})
    void eachRoleGrantsExactlyWhatThePreflightAsksFor(String role, String permissions) {
        // given the Role as rendered, and what the gateway checks before the first session
        List<Grant> granted = grants(Manifests.render("deploy/kubernetes/base").one(Role.class, role));
        List<Grant> required = required(permissions).stream()
                .map(p -> new Grant(p.group(), p.resourceName(), p.verb())).toList();

        // then each required grant is there once, and nothing else is
        assertThat(granted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(required);
    }

    static List<RequiredPermission> required(String list) {
        return list.equals("DRIVER") ? RequiredPermission.DRIVER : RequiredPermission.GATEWAY_WITH_DRIVER_PODS;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparkgate", "sparkgate-driver"})
    void noRuleReachesBeyondItsResources(String name) {
        // given the Role's rules
        Role role = Manifests.render("deploy/kubernetes/base").one(Role.class, name);

        // then none widens by name lists, URLs or wildcards
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
    }

    @ParameterizedTest
    @CsvSource({"role.yaml, GATEWAY_WITH_DRIVER_PODS", "driver-role.yaml, DRIVER"})
    void everyVerbSaysWhyItIsThere(String file, String permissions) {
        // given the Role's source, where each verb is one line with its reason
        String source = Repository.read("deploy/kubernetes/base/" + file);

        // then each required verb's line carries the reason the gateway gives for it
        for (RequiredPermission permission : required(permissions)) {
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
