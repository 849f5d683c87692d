package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;

/**
 * Kubernetes' RBAC authorizer over the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings stored in the
 * emulated API server, for requests made with a service account's token. A request is allowed when a binding in its
 * namespace (RoleBinding, to a Role there or a ClusterRole) or anywhere (ClusterRoleBinding, to a ClusterRole) names the
 * account, or one of its groups, and a rule of the bound role matches the verb, API group, resource (or
 * {@code resource/subresource}) and resource name; {@code *} matches anything. Otherwise it is denied: RBAC only adds.
 * Aggregated ClusterRoles and non-resource URLs are not evaluated.
 */
final class RbacAuthorizer {

  private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

  /** Allowed or not, and by which binding. */
  record Decision(boolean allowed, String reason) {}

  private final KubernetesCrudDispatcher store;

  RbacAuthorizer(KubernetesCrudDispatcher store) {
    this.store = store;
  }

  Decision authorize(ServiceAccountTokens.ServiceAccount account, RequestAttributes request) {
    if (request.namespace() != null) {
      for (RoleBinding binding : list(RBAC + "/namespaces/" + request.namespace() + "/rolebindings",
          RoleBindingList.class).getItems()) {
        if (names(binding.getSubjects(), binding.getMetadata().getNamespace(), account)) {
          Optional<String> rule = allowedBy(binding.getRoleRef(), binding.getMetadata().getNamespace(), request);
          if (rule.isPresent()) {
            return new Decision(true, "RBAC: allowed by RoleBinding \"" + binding.getMetadata().getName() + "/"
                + binding.getMetadata().getNamespace() + "\" of " + rule.get() + " to ServiceAccount \""
                + account.name() + "/" + account.namespace() + "\"");
          }
        }
      }
    }
    for (var binding : list(RBAC + "/clusterrolebindings", ClusterRoleBindingList.class).getItems()) {
      if (names(binding.getSubjects(), null, account)
          && "ClusterRole".equals(binding.getRoleRef().getKind())) {
        Optional<String> rule = allowedBy(binding.getRoleRef(), null, request);
        if (rule.isPresent()) {
          return new Decision(true, "RBAC: allowed by ClusterRoleBinding \"" + binding.getMetadata().getName()
              + "\" of " + rule.get() + " to ServiceAccount \"" + account.name() + "/" + account.namespace() + "\"");
        }
      }
    }
    return new Decision(false, "");
  }

  /** The role's description if one of its rules allows the request. */
  private Optional<String> allowedBy(RoleRef ref, String bindingNamespace, RequestAttributes request) {
    List<PolicyRule> rules;
    if ("Role".equals(ref.getKind()) && bindingNamespace != null) {
      Role role = get(RBAC + "/namespaces/" + bindingNamespace + "/roles/" + ref.getName(), Role.class);
      rules = role == null ? List.of() : role.getRules();
    } else if ("ClusterRole".equals(ref.getKind())) {
      ClusterRole role = get(RBAC + "/clusterroles/" + ref.getName(), ClusterRole.class);
      rules = role == null ? List.of() : role.getRules();
    } else {
      rules = List.of();
    }
    return rules.stream().anyMatch(rule -> matches(rule, request))
        ? Optional.of(ref.getKind() + " \"" + ref.getName() + "\"")
        : Optional.empty();
  }

  private static boolean matches(PolicyRule rule, RequestAttributes request) {
    return contains(rule.getVerbs(), request.verb())
        && contains(rule.getApiGroups(), request.apiGroup())
        && (contains(rule.getResources(), request.resourcePath())
            || request.subresource() != null && rule.getResources().contains("*/" + request.subresource()))
        && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
            || request.name() != null && rule.getResourceNames().contains(request.name()));
  }

  private static boolean contains(List<String> values, String value) {
    return values != null && (values.contains("*") || values.contains(value));
  }

  /** A subject list names the account directly, as its user name, or by one of its groups. */
  private static boolean names(List<Subject> subjects, String bindingNamespace,
      ServiceAccountTokens.ServiceAccount account) {
    if (subjects == null) {
      return false;
    }
    List<String> groups = new ArrayList<>(List.of("system:serviceaccounts",
        "system:serviceaccounts:" + account.namespace(), "system:authenticated"));
    for (Subject subject : subjects) {
      String kind = subject.getKind();
      if ("ServiceAccount".equals(kind) && account.name().equals(subject.getName())
          && account.namespace().equals(Optional.ofNullable(subject.getNamespace()).orElse(bindingNamespace))) {
        return true;
      }
      if ("User".equals(kind) && account.userName().equals(subject.getName())) {
        return true;
      }
      if ("Group".equals(kind) && groups.contains(subject.getName())) {
        return true;
      }
    }
    return false;
  }

  private <T> T list(String path, Class<T> type) {
    T list = get(path, type);
    if (list != null) {
      return list;
    }
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T get(String path, Class<T> type) {
    MockResponse response = store.handleGet(path);
    if (DefaultingCrudDispatcher.statusCode(response) != HttpURLConnection.HTTP_OK || response.getBody() == null) {
      return null;
    }
    return Serialization.unmarshal(response.getBody().readUtf8(), type);
  }
}
