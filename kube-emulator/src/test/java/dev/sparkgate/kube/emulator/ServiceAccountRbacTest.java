package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service accounts as a pod sees them (a mounted token an in-cluster client finds by itself) and RBAC as the API
 * server enforces it on requests bearing such a token, while the administrator's kubeconfig stays all-powerful.
 */
class ServiceAccountRbacTest {

  private static final String IMAGE = TestPods.IMAGE;

  private static EmulatedCluster cluster;
  private static KubernetesClient admin;

  @BeforeAll
  static void startClusterWithADriverRole() {
    cluster = TestPods.clusterFor(ServiceAccountRbacTest.class)
        .start();
    admin = cluster.client();
    // The driver may manage pods in its namespace, and nothing else: what Spark's driver needs.
    admin.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("spark-driver").endMetadata()
        .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch", "create", "delete")
        .endRule().build()).create();
    admin.rbac().roleBindings().resource(TestPods.roleBinding("spark-driver", "driver")).create();
    admin.secrets().resource(new SecretBuilder().withNewMetadata().withName("gateway-secret").endMetadata()
        .withStringData(Map.of("token", "the gateway's")).build()).create();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void aPodSeesItsServiceAccountsTokenNamespaceAndCaWhereKubernetesMountsThem() {
    // given a pod of service account "driver" that looks where Kubernetes mounts the account's credentials
    String dir = PodVolumes.SERVICE_ACCOUNT_PATH;
    client(pod("sa-files", "driver", "ls " + dir + "; cat " + dir + "/namespace; echo;"
        + " head -1 " + dir + "/ca.crt; echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"));

    // when it has run
    waitFor("sa-files", "Succeeded");

    // then it found them, and the API server's address
    assertThat(admin.pods().withName("sa-files").getLog()).isEqualTo("ca.crt\nnamespace\ntoken\ndefault\n"
        + "-----BEGIN CERTIFICATE-----\n127.0.0.1:" + cluster.port() + "\n");
  }

  @Test
  void automountServiceAccountTokenFalseMountsNothing() {
    Pod pod = new PodBuilder(pod("sa-none", "driver", "ls " + PodVolumes.SERVICE_ACCOUNT_PATH + " || echo none"))
        .editSpec().withAutomountServiceAccountToken(false).endSpec().build();
    client(pod);

    waitFor("sa-none", "Succeeded");

    assertThat(admin.pods().withName("sa-none").getLog()).endsWith("none\n");
  }

  @Test
  void anInClusterFabric8ClientInAPodActsAsItsServiceAccountAndRbacDecides() {
    // given a pod of account "driver" running a JVM whose fabric8 client configures itself as in a pod
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Pod pod = new PodBuilder(pod("in-cluster", "driver", "")).editSpec().editFirstContainer()
        .withCommand(java, "-cp", System.getProperty("java.class.path"), InClusterClientProbe.class.getName())
        .withArgs("pods", "secrets").endContainer().endSpec().build();
    client(pod);

    // when it has listed pods and secrets
    waitFor("in-cluster", "Succeeded");

    // then the role let it list pods, and the API server refused the secrets in Kubernetes' words
    String log = admin.pods().withName("in-cluster").getLog();
    assertThat(log).contains("namespace default\n").containsPattern("pods listed \\d+\n")
        .contains("secrets refused 403 ")
        .contains("secrets is forbidden: User \"system:serviceaccount:default:driver\" cannot"
            + " list resource \"secrets\" in API group \"\" in the namespace \"default\"");
  }

  @Test
  void aServiceAccountTokenIsHeldToItsRulesAndItsAccessReviewsSayTheSame() {
    // given a client acting as service account "driver"
    try (KubernetesClient driver = asServiceAccount("default", "driver")) {

      // then it may do what its Role says, in its namespace only
      assertThat(driver.pods().list().getItems()).isNotNull();
      assertThatThrownBy(() -> driver.secrets().withName("gateway-secret").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getMessage()).isEqualTo("secrets \"gateway-secret\" is forbidden: User"
                + " \"system:serviceaccount:default:driver\" cannot get resource \"secrets\" in API group \"\" in the"
                + " namespace \"default\"");
          });
      assertThatThrownBy(() -> driver.pods().inNamespace("other").resource(pod("elsewhere", "driver", "true"))
          .create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> driver.pods().withName("sa-files").getLog())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
              .contains("cannot get resource \"pods/log\""));

      // and its access reviews answer from the same rules
      assertThat(review(driver, "create", "pods", "default").getStatus().getAllowed()).isTrue();
      assertThat(review(driver, "create", "pods", "default").getStatus().getReason())
          .contains("RoleBinding \"spark-driver/default\"");
      assertThat(review(driver, "get", "secrets", "default").getStatus().getAllowed()).isFalse();
      assertThat(review(driver, "create", "pods", "other").getStatus().getAllowed()).isFalse();
    }
    // while the administrator may still do anything
    assertThat(admin.secrets().withName("gateway-secret").get()).isNotNull();
  }

  @Test
  void clusterRoleBindingsToAGroupAndRulesLimitedToResourceNamesAreHonoured() {
    // given a ClusterRole to read nodes, bound to every service account of namespace "default", and a Role that
    // lets account "reader" get one ConfigMap by name
    admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
        .withNewMetadata().withName("node-reader").endMetadata()
        .addNewRule().withApiGroups("").withResources("nodes").withVerbs("get", "list").endRule().build()).create();
    admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
        .withNewMetadata().withName("default-accounts-read-nodes").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("node-reader")
        .endRoleRef()
        .addNewSubject().withKind("Group").withName("system:serviceaccounts:default").endSubject()
        .build()).create();
    admin.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("one-config").endMetadata()
        .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames("allowed").withVerbs("get")
        .endRule().build()).create();
    admin.rbac().roleBindings().resource(TestPods.roleBinding("one-config", "reader")).create();

    try (KubernetesClient reader = asServiceAccount("default", "reader")) {
      // then the group binding lets it list nodes, cluster-wide
      assertThat(reader.nodes().list().getItems()).isNotEmpty();
      // and it may get the named ConfigMap (absent: 404, past authorization) but no other, nor list them
      assertThat(reader.configMaps().withName("allowed").get()).isNull();
      assertThatThrownBy(() -> reader.configMaps().withName("other").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> reader.configMaps().list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void aTokenNobodyIssuedIsUnauthorized() {
    try (KubernetesClient forged = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl(cluster.apiServerUrl()).withNamespace("default")
        .withOauthToken(ServiceAccountTokens.PREFIX + "forged").build()).build()) {
      assertThatThrownBy(() -> forged.pods().list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  private static KubernetesClient asServiceAccount(String namespace, String name) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl(cluster.apiServerUrl()).withNamespace(namespace)
        .withOauthToken(cluster.issueToken(namespace, name)).withRequestRetryBackoffLimit(0).build()).build();
  }

  private static SelfSubjectAccessReview review(KubernetesClient client, String verb, String resource,
      String namespace) {
    return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes()
          .withVerb(verb).withResource(resource).withNamespace(namespace)
        .endResourceAttributes().endSpec()
        .build());
  }

  private static void client(Pod pod) {
    admin.pods().resource(pod).create();
  }

  private static Pod pod(String name, String serviceAccount, String shellCommand) {
    return new PodBuilder(TestPods.shellPod(name, IMAGE, shellCommand))
        .editSpec().withServiceAccountName(serviceAccount).endSpec().build();
  }

  private static Pod waitFor(String name, String phase) {
    return admin.pods().withName(name).waitUntilCondition(
        p -> p != null && phase.equals(p.getStatus().getPhase()), 30, TimeUnit.SECONDS);
  }
}
