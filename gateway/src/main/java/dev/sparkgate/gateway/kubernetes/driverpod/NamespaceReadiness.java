package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.errors.NamespaceNotReady;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Before anything of a session is created in a namespace its user's or group's template named: the namespace must
 * exist, hold the drivers' service account, and let the gateway in. Otherwise the session is refused
 * ({@link NamespaceNotReady}, 409) naming the namespace and what the operator does, and nothing is left half made.
 * Asked on every such session, as an operator may remove a team's namespace at any time; it is one read.
 */
final class NamespaceReadiness {

    private static final int FORBIDDEN = 403;
    private static final String HOW = "the namespace, the account, and the Roles of deploy/kubernetes/base (role.yaml "
            + "bound to the gateway's account, driver-role.yaml to the drivers'), as the README's 'Namespaces and "
            + "accounts per user or group' shows";

    private final KubernetesClient client;

    NamespaceReadiness(KubernetesClient client) {
        this.client = client;
    }

    /** Refuses unless {@code namespace} exists with {@code serviceAccount} in it, readable by the gateway. */
    void require(String namespace, String serviceAccount, String whose) {
        boolean hasAccount;
        try {
            hasAccount = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() != FORBIDDEN) {
                throw e;
            }
            throw new NamespaceNotReady("Sessions " + whose + " go to namespace '" + namespace + "', where this "
                    + "gateway is not allowed in (it may not read service accounts there: " + e.getMessage()
                    + "). The operator creates " + HOW + ".");
        }
        if (hasAccount) {
            return;
        }
        if (!exists(namespace)) {
            throw new NamespaceNotReady("Sessions " + whose + " go to namespace '" + namespace + "', which does not "
                    + "exist; its drivers' account would be '" + serviceAccount + "'. Nothing was created. The operator "
                    + "creates " + HOW + ".");
        }
        throw new NamespaceNotReady("Sessions " + whose + " go to namespace '" + namespace + "', which has no "
                + "service account '" + serviceAccount + "' for their drivers. Nothing was created. The operator "
                + "creates " + HOW + ".");
    }

    /** Whether the namespace exists; true when the gateway may not tell (then the account is what is missing). */
    private boolean exists(String namespace) {
        try {
            return client.namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            return true;
        }
    }
}
