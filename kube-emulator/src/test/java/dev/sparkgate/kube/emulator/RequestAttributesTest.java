package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HTTP method and path to what RBAC evaluates, as Kubernetes' request info resolver maps them. */
class RequestAttributesTest {

  @Test
  void verbsFollowTheMethodAndWhetherThePathNamesOneObject() {
    assertThat(verb("GET", "/api/v1/namespaces/ns/pods/p", false)).isEqualTo("get");
    assertThat(verb("GET", "/api/v1/namespaces/ns/pods", false)).isEqualTo("list");
    assertThat(verb("GET", "/api/v1/namespaces/ns/pods", true)).isEqualTo("watch");
    assertThat(verb("POST", "/api/v1/namespaces/ns/pods", false)).isEqualTo("create");
    assertThat(verb("PUT", "/api/v1/namespaces/ns/pods/p", false)).isEqualTo("update");
    assertThat(verb("PATCH", "/api/v1/namespaces/ns/pods/p", false)).isEqualTo("patch");
    assertThat(verb("DELETE", "/api/v1/namespaces/ns/pods/p", false)).isEqualTo("delete");
    assertThat(verb("DELETE", "/api/v1/namespaces/ns/pods", false)).isEqualTo("deletecollection");
  }

  @Test
  void groupsSubresourcesNamesAndScopesAreReadFromThePath() {
    assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/ns/pods/p/log", false)).contains(
        new RequestAttributes("get", "", "pods", "log", "p", "ns"));
    assertThat(RequestAttributes.of("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", false)).contains(
        new RequestAttributes("create", "rbac.authorization.k8s.io", "clusterroles", null, null, null));
    assertThat(RequestAttributes.of("GET", "/api/v1/pods", false)).contains(
        new RequestAttributes("list", "", "pods", null, null, null));
    assertThat(RequestAttributes.of("GET", "/api/v1", false)).isEmpty();
    assertThat(RequestAttributes.of("GET", "/version", false)).isEmpty();
  }

  @Test
  void aRefusalReadsAsKubernetesWordsIt() {
    assertThat(new RequestAttributes("list", "", "nodes", null, null, null).forbiddenMessage("system:serviceaccount:a:b"))
        .isEqualTo("nodes is forbidden: User \"system:serviceaccount:a:b\" cannot list resource \"nodes\" in API group"
            + " \"\" at the cluster scope");
  }

  private static String verb(String method, String path, boolean watch) {
    return RequestAttributes.of(method, path, watch).orElseThrow().verb();
  }
}
