package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's discovery documents, for the kinds the emulation stores. A CRUD store answers {@code /api} with an
 * empty list, and then kubectl knows no resource type at all ("the server doesn't have a resource type pods").
 * Clients that already know their paths (Spark, fabric8, the gateway) never ask.
 */
final class Discovery {

  private static final List<String> STORED = List.of("create", "delete", "deletecollection", "get", "list", "patch",
      "update", "watch");
  private static final String AUTHORIZATION = "authorization.k8s.io";
  private static final String RBAC = "rbac.authorization.k8s.io";

  private static final Map<String, String> DOCUMENTS = Map.of(
      // fabric8's model has no APIVersions class
      "/api", Serialization.asJson(Map.of("kind", "APIVersions", "versions", List.of("v1"),
          "serverAddressByClientCIDRs", List.of())),
      "/apis", Serialization.asJson(new APIGroupListBuilder()
          .addToGroups(new APIGroupBuilder().withName(AUTHORIZATION)
              .withVersions(new GroupVersionForDiscovery(AUTHORIZATION + "/v1", "v1"))
              .withPreferredVersion(new GroupVersionForDiscovery(AUTHORIZATION + "/v1", "v1")).build())
          .addToGroups(new APIGroupBuilder().withName(RBAC)
              .withVersions(new GroupVersionForDiscovery(RBAC + "/v1", "v1"))
              .withPreferredVersion(new GroupVersionForDiscovery(RBAC + "/v1", "v1")).build())
          .build()),
      "/apis/" + RBAC + "/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion(RBAC + "/v1")
          .withResources(
              stored("roles", "Role", true, null),
              stored("rolebindings", "RoleBinding", true, null),
              stored("clusterroles", "ClusterRole", false, null),
              stored("clusterrolebindings", "ClusterRoleBinding", false, null))
          .build()),
      "/api/v1", Serialization.asJson(new APIResourceListBuilder().withGroupVersion("v1")
          .withResources(
              stored("pods", "Pod", true, "po"),
              new APIResourceBuilder().withName("pods/log").withKind("Pod").withNamespaced(true)
                  .withVerbs("get").build(),
              stored("configmaps", "ConfigMap", true, "cm"),
              stored("services", "Service", true, "svc"),
              stored("serviceaccounts", "ServiceAccount", true, "sa"),
              stored("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
              stored("events", "Event", true, "ev"),
              stored("namespaces", "Namespace", false, "ns"),
              stored("secrets", "Secret", true, null),
              stored("nodes", "Node", false, "no"))
          .build()),
      "/apis/" + AUTHORIZATION + "/v1", Serialization.asJson(new APIResourceListBuilder()
          .withGroupVersion(AUTHORIZATION + "/v1")
          .withResources(new APIResourceBuilder().withName("selfsubjectaccessreviews")
              .withKind("SelfSubjectAccessReview").withNamespaced(false).withVerbs("create").build())
          .build()));

  private Discovery() {}

  /** The discovery document at {@code path}, if it is one. */
  static Optional<String> document(String path) {
    return Optional.ofNullable(DOCUMENTS.get(path));
  }

  private static APIResource stored(String name, String kind, boolean namespaced, String shortName) {
    return new APIResourceBuilder().withName(name).withSingularName(kind.toLowerCase()).withKind(kind)
        .withNamespaced(namespaced).withShortNames(shortName == null ? List.of() : List.of(shortName))
        .withVerbs(STORED).build();
  }
}
