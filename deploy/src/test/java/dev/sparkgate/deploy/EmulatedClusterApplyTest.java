package dev.sparkgate.deploy;

import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered manifests go to an API server (the emulated one: fabric8's mock in CRUD mode, which stores what it is
 * given but checks no schema) through the same client the gateway uses, and come back unchanged.
 */
class EmulatedClusterApplyTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/base", "deploy/kubernetes/overlays/team-namespace",
            "deploy/kubernetes/overlays/spark41"})
    void everyRenderedObjectIsCreatedAndReadBackUnchanged(String kustomization) {
        // given the rendered objects and an emulated cluster
        Manifests manifests = Manifests.render(kustomization);
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).resolve("apply");
        try (EmulatedCluster cluster = EmulatedCluster.builder().workDir(work).start()) {
            KubernetesClient client = cluster.client();

            // when each is created, the namespace first
            manifests.all(Namespace.class).forEach(ns -> client.resource(ns).create());
            manifests.objects().stream().filter(o -> !(o instanceof Namespace))
                    .forEach(o -> client.resource(o).create());

            // then each reads back from its namespace with what was sent
            for (HasMetadata sent : manifests.objects()) {
                HasMetadata stored = client.resource(sent).get();
                assertThat(stored).as(sent.getKind() + " " + sent.getMetadata().getName()).isNotNull();
                assertThat(payload(stored)).as(sent.getKind()).isEqualTo(payload(sent));
            }
            assertThat(client.pods().inAnyNamespace().list().getItems())
                    .as("a mock API server runs no controllers: the Deployment makes no pod").isEmpty();
        }
    }

    /** What the API server must keep: everything but the metadata it fills in itself. */
    private static Object payload(HasMetadata object) {
        if (object instanceof Deployment d) {
            return d.getSpec();
        } else if (object instanceof Service s) {
            return s.getSpec();
        } else if (object instanceof ConfigMap c) {
            return c.getData();
        } else if (object instanceof Role r) {
            return r.getRules();
        } else if (object instanceof RoleBinding b) {
            return java.util.List.of(b.getRoleRef(), b.getSubjects());
        } else if (object instanceof ServiceAccount a) {
            return String.valueOf(a.getAutomountServiceAccountToken());
        } else {
            return object.getMetadata().getLabels();
        }
    }
}
