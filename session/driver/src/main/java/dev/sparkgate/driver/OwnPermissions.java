package dev.sparkgate.driver;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A driver in a pod of its own asks, before Spark starts, whether its own service account may do what Spark will do
 * (the gateway names the list in {@link #ENV}: {@code verb resource} pairs such as {@code create pods}), so that a
 * missing grant fails the session at once, naming the verb, instead of Spark retrying executor requests forever.
 * Asked of the API server itself (SelfSubjectAccessReview), with the pod's in-cluster credentials.
 */
final class OwnPermissions {

    static final String ENV = "SPARKGATE_DRIVER_PERMISSIONS";

    private OwnPermissions() {
    }

    /** What the pod's account may not do of {@code required} in {@code namespace}, as one sentence; empty if all. */
    static Optional<String> missing(String required, String namespace) {
        List<String> missing = new ArrayList<>();
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            for (String pair : Arrays.stream(required.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList()) {
                String[] words = pair.split("\\s+");
                String[] resource = words[1].split("/", 2);
                SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
                        new SelfSubjectAccessReviewBuilder().withNewSpec().withResourceAttributes(
                                new ResourceAttributesBuilder().withNamespace(namespace).withVerb(words[0])
                                        .withResource(resource[0]).withSubresource(resource.length > 1 ? resource[1] : null)
                                        .build()).endSpec().build());
                if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAllowed())) {
                    missing.add(pair);
                }
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("the driver's service account may not "
                + String.join(", ", missing) + " in namespace " + namespace + ", which Spark's driver needs. Grant them "
                + "to the drivers' account (deploy/kubernetes/base/driver-role.yaml).");
    }
}
