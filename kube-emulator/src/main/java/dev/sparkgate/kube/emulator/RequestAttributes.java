package dev.sparkgate.kube.emulator;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an API request asks, as Kubernetes' authorizers see it: verb, API group, resource, subresource, name and
 * namespace. The verb follows from the method and the path as in Kubernetes: GET of one object is {@code get}, of a
 * collection {@code list}, with {@code watch=true} {@code watch}; POST {@code create}; PUT {@code update}; PATCH
 * {@code patch}; DELETE of one object {@code delete}, of a collection {@code deletecollection}. Empty for paths that
 * name no resource ({@code /api}, {@code /version}): every authenticated user may read those.
 */
record RequestAttributes(String verb, String apiGroup, String resource, String subresource, String name,
    String namespace) {

  static Optional<RequestAttributes> of(String method, String path, boolean watch) {
    List<String> parts = Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList();
    int rest;
    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      rest = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = 3;
    } else {
      return Optional.empty();
    }
    List<String> tail = parts.subList(rest, parts.size());
    String namespace = null;
    if (tail.size() >= 3 && tail.get(0).equals("namespaces")) {
      namespace = tail.get(1);
      tail = tail.subList(2, tail.size());
    } else if (tail.size() == 2 && tail.get(0).equals("namespaces")) {
      // A namespace itself: /api/v1/namespaces/{name}
      namespace = tail.get(1);
    }
    String resource = tail.get(0);
    String name = tail.size() > 1 ? tail.get(1) : null;
    String subresource = tail.size() > 2 ? tail.get(2) : null;
    String verb = switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return Optional.of(new RequestAttributes(verb, group, resource, subresource, name, namespace));
  }

  /** {@code pods} or {@code pods/log}, as RBAC rules name resources. */
  String resourcePath() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  /**
   * Kubernetes' 403 message: {@code pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the
   * namespace "default"}.
   */
  String forbiddenMessage(String user) {
    return resource + (name == null ? "" : " \"" + name + "\"") + " is forbidden: User \"" + user + "\" cannot "
        + verb + " resource \"" + resourcePath() + "\" in API group \"" + apiGroup + "\""
        + (namespace == null ? " at the cluster scope" : " in the namespace \"" + namespace + "\"");
  }
}
