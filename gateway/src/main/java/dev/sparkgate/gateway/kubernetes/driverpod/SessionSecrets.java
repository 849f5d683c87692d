package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.driverpod.steps.SessionSecretStep;
import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/**
 * Each session's secret, in a Secret of its own that its driver pod mounts: labelled as the session's (so the gateway
 * reaps those no session owns), and owned by the driver pod once it exists (so it goes with the pod, whoever deletes
 * that).
 */
final class SessionSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSecrets.class);

    private final KubernetesClient client;
    private final String instance;

    SessionSecrets(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    void create(String namespace, String name, int sessionId, String secret) {
        Secret resource = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(ExecutorLabelsStep.labels(instance, sessionId)).endMetadata()
                .withType("Opaque").withStringData(Map.of(SessionSecretStep.KEY, secret)).build();
        client.secrets().inNamespace(namespace).resource(resource).create();
    }

    /** Makes {@code pod} the Secret's owner: Kubernetes' garbage collector then deletes it with the pod. */
    void ownBy(String namespace, String name, Pod pod) {
        try {
            client.secrets().inNamespace(namespace).withName(name).edit(secret -> new SecretBuilder(secret)
                    .editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1")
                            .withKind("Pod").withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                            .withController(false).withBlockOwnerDeletion(false).build())
                    .endMetadata().build());
        } catch (KubernetesClientException e) {
            // The gateway still deletes the Secret with its session; only a deletion by someone else would leave it.
            LOG.warn("secret {}: could not make pod {} its owner: {}", name, pod.getMetadata().getName(), e.toString());
        }
    }

    /** Labels the Secret as session {@code sessionId}'s: a pooled pod's Secret, when a session takes the pod. */
    void label(String namespace, String name, int sessionId) {
        try {
            client.secrets().inNamespace(namespace).withName(name).edit(secret -> new SecretBuilder(secret)
                    .editMetadata().addToLabels(ExecutorLabelsStep.labels(instance, sessionId)).endMetadata().build());
        } catch (KubernetesClientException e) {
            // Without it a restarted gateway finds no secret for the session: it would end at the recovery timeout.
            LOG.warn("secret {}: could not label it as session {}'s: {}", name, sessionId, e.toString());
        }
    }

    void delete(String namespace, String name) {
        try {
            client.secrets().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("secret {}: could not delete it: {}", name, e.toString());
        }
    }

    /** Each session's secret, by session id, as this gateway's Secrets in {@code namespace} hold them. */
    Map<String, String> bySession(String namespace) {
        Map<String, String> found = new java.util.HashMap<>();
        for (Secret secret : client.secrets().inNamespace(namespace)
                .withLabel(ExecutorLabelsStep.GATEWAY_LABEL, instance).list().getItems()) {
            String session = secret.getMetadata().getLabels().get(ExecutorLabelsStep.SESSION_LABEL);
            String encoded = secret.getData() == null ? null : secret.getData().get(SessionSecretStep.KEY);
            // An API server turns stringData into data; one that keeps it as given (an emulator) is read as given.
            String plain = secret.getStringData() == null ? null : secret.getStringData().get(SessionSecretStep.KEY);
            if (session != null && encoded != null) {
                found.put(session, new String(java.util.Base64.getDecoder().decode(encoded),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else if (session != null && plain != null) {
                found.put(session, plain);
            }
        }
        return found;
    }

    /** Deletes this gateway's session Secrets whose session is not among {@code live}. */
    void reapOrphans(String namespace, Set<Integer> live) {
        for (Secret secret : client.secrets().inNamespace(namespace)
                .withLabel(ExecutorLabelsStep.GATEWAY_LABEL, instance).list().getItems()) {
            String session = secret.getMetadata().getLabels().get(ExecutorLabelsStep.SESSION_LABEL);
            if (session == null || !live.contains(Integer.parseInt(session))) {
                LOG.info("reaping secret {} of session {}, which this gateway no longer runs",
                        secret.getMetadata().getName(), session);
                delete(namespace, secret.getMetadata().getName());
            }
        }
    }
}
