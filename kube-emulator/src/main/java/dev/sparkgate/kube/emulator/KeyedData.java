package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of a Secret or ConfigMap, decoded, as the kubelet reads them for volumes and env; and the words the kubelet
 * uses when one is missing ({@code secret "x" not found}, {@code couldn't find key k in Secret ns/x}).
 */
record KeyedData(Kind kind, String namespace, String name, Map<String, byte[]> keys) {

  enum Kind {
    SECRET("secret", "Secret"),
    CONFIG_MAP("configmap", "ConfigMap");

    private final String lowerName;
    private final String kindName;

    Kind(String lowerName, String kindName) {
      this.lowerName = lowerName;
      this.kindName = kindName;
    }
  }

  /** The object's keys, or empty if it does not exist. */
  static Optional<KeyedData> read(KubernetesClient client, Kind kind, String namespace, String name) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    if (kind == Kind.SECRET) {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        return Optional.empty();
      }
      Optional.ofNullable(secret.getData()).orElse(Map.of())
          .forEach((key, value) -> keys.put(key, Base64.getDecoder().decode(value)));
      Optional.ofNullable(secret.getStringData()).orElse(Map.of())
          .forEach((key, value) -> keys.put(key, value.getBytes(StandardCharsets.UTF_8)));
    } else {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
      if (map == null) {
        return Optional.empty();
      }
      Optional.ofNullable(map.getData()).orElse(Map.of())
          .forEach((key, value) -> keys.put(key, value.getBytes(StandardCharsets.UTF_8)));
      Optional.ofNullable(map.getBinaryData()).orElse(Map.of())
          .forEach((key, value) -> keys.put(key, Base64.getDecoder().decode(value)));
    }
    return Optional.of(new KeyedData(kind, namespace, name, keys));
  }

  static String notFound(Kind kind, String name) {
    return kind.lowerName + " \"" + name + "\" not found";
  }

  String missingKey(String key) {
    return "couldn't find key " + key + " in " + kind.kindName + " " + namespace + "/" + name;
  }

  Optional<String> text(String key) {
    return Optional.ofNullable(keys.get(key)).map(value -> new String(value, StandardCharsets.UTF_8));
  }

  Map<String, String> texts() {
    Map<String, String> texts = new LinkedHashMap<>();
    keys.forEach((key, value) -> texts.put(key, new String(value, StandardCharsets.UTF_8)));
    return texts;
  }
}
