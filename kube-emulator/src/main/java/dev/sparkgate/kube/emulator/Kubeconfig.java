package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A kubeconfig for the emulated cluster, in the format every client reads: one cluster, one user with a bearer token
 * (the emulation accepts any; it is there for clients that insist on credentials), one context in namespace
 * {@code default}, current.
 */
final class Kubeconfig {

  static final String NAME = "sparkgate-emulated";
  static final String TOKEN = "sparkgate-emulated-token";
  static final String NAMESPACE = "default";

  private Kubeconfig() {}

  static String render(String serverUrl) {
    Config config = new ConfigBuilder()
        .withApiVersion("v1")
        .withKind("Config")
        .addNewCluster().withName(NAME).withNewCluster().withServer(serverUrl).endCluster().endCluster()
        .addNewUser().withName(NAME).withNewUser().withToken(TOKEN).endUser().endUser()
        .addNewContext().withName(NAME).withNewContext()
          .withCluster(NAME).withUser(NAME).withNamespace(NAMESPACE)
        .endContext().endContext()
        .withCurrentContext(NAME)
        .build();
    return Serialization.asYaml(config);
  }
}
