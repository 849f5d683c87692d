package dev.sparkgate.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.List;

/**
 * A kustomization rendered the way a platform engineer applies it ({@code kubectl kustomize}, offline), each object
 * parsed into its fabric8 model class.
 */
record Manifests(List<HasMetadata> objects) {

    static Manifests render(String kustomization) {
        return parse(Tools.output(Tools.concat(Tools.kubectl(), "kustomize", kustomization)));
    }

    /** Objects of a YAML stream ({@code ---} between them), as a file applied as it is holds them. */
    static Manifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = Serialization.unmarshal(document);
            if (!(parsed instanceof HasMetadata object) || parsed instanceof GenericKubernetesResource) {
                // An unknown apiVersion or kind parses only as a generic resource: that is not a valid object.
                throw new AssertionError("not a Kubernetes object the fabric8 model knows:\n" + document);
            }
            objects.add(object);
        }
        return new Manifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The one object of a kind whose name starts with {@code prefix} (generated names carry a hash suffix). */
    <T extends HasMetadata> T generated(Class<T> type, String prefix) {
        List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().startsWith(prefix + "-")).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one generated " + type.getSimpleName() + " " + prefix + "-<hash>, found "
                    + found.size());
        }
        return found.get(0);
    }
}
