package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.placement.SessionIds;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/**
 * Session ids of a gateway whose drivers are pods, kept in the API server (the store that outlives the gateway's pod):
 * a ConfigMap {@code <instance>-session-ids} holding the next id, changed against the version read
 * ({@link StoredConfigMap}), so two writers never hand out the same id. Ids of sessions found after a restart are
 * skipped past too, so a lost or reset ConfigMap still never reuses the id of a running session.
 */
final class ConfigMapSessionIds implements SessionIds {

    static final String KEY = "next-id";

    private final StoredConfigMap stored;

    ConfigMapSessionIds(KubernetesClient client, String namespace, String instance) {
        this.stored = new StoredConfigMap(client, namespace, instance + "-session-ids", instance, "the next session id");
    }

    @Override
    public synchronized int next() {
        return change(stored -> stored + 1);
    }

    @Override
    public synchronized void skipPast(int id) {
        change(stored -> Math.max(stored, id + 1));
    }

    /** Sets the stored next id to {@code next(stored)}; returns the stored one it replaced. */
    private int change(java.util.function.IntUnaryOperator next) {
        return parse(stored.change(data -> Map.of(KEY, String.valueOf(next.applyAsInt(parse(data))))));
    }

    private static int parse(Map<String, String> data) {
        try {
            String value = data.get(KEY);
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            // The sessions found on start still say which ids were used: recovery skips past them.
            return 0;
        }
    }
}
