package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Runs inside an emulated pod (a test starts it as the pod's command): a fabric8 client configured the way a client in
 * a pod configures itself, with no kubeconfig, then one request per resource named in the arguments. Prints one line
 * each: what it found, or the API server's refusal.
 */
public final class InClusterClientProbe {

  private InClusterClientProbe() {}

  public static void main(String[] args) {
    Config config = Config.autoConfigure(null);
    System.out.println("namespace " + config.getNamespace());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      for (String resource : args) {
        try {
          int count = switch (resource) {
            case "pods" -> client.pods().list().getItems().size();
            case "secrets" -> client.secrets().list().getItems().size();
            default -> throw new IllegalArgumentException(resource);
          };
          System.out.println(resource + " listed " + count);
        } catch (KubernetesClientException e) {
          System.out.println(resource + " refused " + e.getCode() + " " + e.getStatus().getMessage());
        }
      }
    }
  }
}
