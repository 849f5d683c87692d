package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.errors.NotPermitted;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Before the first session in a namespace: may the gateway's service account do there everything Spark and the
 * gateway will do? Asked of the API server itself (SelfSubjectAccessReview), so the answer is the cluster's policy,
 * not our guess of it. A namespace that passed is not asked again.
 */
final class PermissionPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionPreflight.class);

    private final KubernetesClient client;
    private final Set<String> cleared = ConcurrentHashMap.newKeySet();

    PermissionPreflight(KubernetesClient client) {
        this.client = client;
    }

    void require(String namespace, List<RequiredPermission> permissions) {
        if (cleared.contains(namespace)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (RequiredPermission permission : permissions) {
            SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
                    new SelfSubjectAccessReviewBuilder().withNewSpec().withResourceAttributes(
                            new ResourceAttributesBuilder().withNamespace(namespace).withGroup(permission.group())
                                    .withResource(permission.resource()).withSubresource(permission.subresource())
                                    .withVerb(permission.verb()).build()).endSpec().build());
            if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAllowed())) {
                missing.add(permission.verb() + " " + permission.resourceName() + " (" + permission.why() + ")");
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("namespace {}: the gateway's service account lacks {}", namespace, missing);
            throw new NotPermitted("The gateway's service account may not do what sessions need in namespace '"
                    + namespace + "'. Missing: " + String.join("; ", missing) + ". Grant them with the Role in "
                    + "deploy/kubernetes/base/role.yaml (kubectl apply -k deploy/kubernetes/base).");
        }
        cleared.add(namespace);
    }
}
