package dev.sparkgate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The base manifests, rendered offline as {@code kubectl apply -k deploy/kubernetes/base} would render them. */
class KustomizeBaseTest {

    static final String NAMESPACE = "sparkgate";
    private static Manifests base;

    @BeforeAll
    static void render() {
        base = Manifests.render("deploy/kubernetes/base");
    }

    @Test
    void everyObjectIsAKnownKindInTheSparkgateNamespace() {
        // given the rendered base
        // then it holds exactly the objects a deployment needs, every namespaced one in the same namespace
        assertThat(base.objects()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Namespace",
                "ServiceAccount", "ServiceAccount", "ServiceAccount", "Role", "Role", "RoleBinding", "RoleBinding",
                "ConfigMap", "ConfigMap", "Deployment", "Service", "Service", "NetworkPolicy", "NetworkPolicy",
                "NetworkPolicy");
        assertThat(base.one(Namespace.class, NAMESPACE)).isNotNull();
        assertThat(base.objects()).filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(NAMESPACE));
    }

    @Test
    void theRoleIsBoundToTheAccountTheGatewayRunsAs() {
        // given the binding and the gateway's pod
        RoleBinding binding = base.one(RoleBinding.class, "sparkgate");
        PodSpec pod = base.one(Deployment.class, "sparkgate").getSpec().getTemplate().getSpec();

        // then the Role is bound, in this namespace, to the service account the pod runs as
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(base.one(Role.class, binding.getRoleRef().getName())).isNotNull();
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(pod.getServiceAccountName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(base.one(ServiceAccount.class, pod.getServiceAccountName())).isNotNull();
    }

    @Test
    void executorsRunAsAnAccountWithoutToken() {
        // given the executors' service account, as the settings name it
        String account = settings().getData().get("SPARKGATE_EXECUTOR_SERVICE_ACCOUNT");

        // then it exists, has no Role, and mounts no token: client-mode executors never call the API server
        assertThat(base.one(ServiceAccount.class, account).getAutomountServiceAccountToken()).isFalse();
        assertThat(base.one(RoleBinding.class, "sparkgate").getSubjects()).noneMatch(s -> s.getName().equals(account));
    }

    @Test
    void driversRunInPodsAsTheirOwnAccountOnTheGatewaysImageAndDialTheLinkService() {
        // given the settings
        Map<String, String> settings = settings().getData();

        // then drivers go in pods, as an account bound to the drivers' Role only, whose token no pod mounts unasked
        assertThat(settings).containsEntry("SPARKGATE_PLACEMENT", "pod");
        String account = settings.get("SPARKGATE_DRIVER_SERVICE_ACCOUNT");
        assertThat(base.one(ServiceAccount.class, account).getAutomountServiceAccountToken()).isFalse();
        RoleBinding binding = base.one(RoleBinding.class, "sparkgate-driver");
        assertThat(binding.getRoleRef().getName()).isEqualTo("sparkgate-driver");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo(account));
        assertThat(base.one(RoleBinding.class, "sparkgate").getSubjects()).noneMatch(s -> s.getName().equals(account));
        // and they copy the runtime from the very image the gateway runs, and dial the link Service's port
        assertThat(settings.get("SPARKGATE_IMAGE")).isEqualTo(gateway().getImage());
        Service link = base.one(Service.class, "sparkgate-link");
        // a restarted gateway is not ready until its drivers dialled back: they must reach it before it is
        assertThat(link.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(settings.get("SPARKGATE_LINK_URL")).isEqualTo("ws://sparkgate-link:"
                + link.getSpec().getPorts().get(0).getPort());
    }

    @Test
    void onlyExecutorsMayReachADriverPod() {
        // given the policy on driver pods
        NetworkPolicy drivers = base.one(NetworkPolicy.class, "sparkgate-drivers");

        // then it selects driver pods and lets in executor pods only
        assertThat(drivers.getSpec().getPodSelector().getMatchLabels()).containsExactly(Map.entry("spark-role", "driver"));
        assertThat(drivers.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(drivers.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsExactly(Map.entry("spark-role", "executor"))));
    }

    @Test
    void driverOwnedClaimsAreOffAndUsersMayNotTurnThemOn() {
        // given the executor defaults and the confs users may not set
        Map<String, String> settings = settings().getData();

        // then Spark never lists or deletes claims (the Role grants neither), and no session can make it
        assertThat(settings.get("SPARKGATE_SPARK_CONF").lines().map(String::strip))
                .allSatisfy(line -> assertThat(line).matches("spark\\.[A-Za-z0-9.]+=\\S+"))
                .contains("spark.kubernetes.driver.ownPersistentVolumeClaim=false",
                        "spark.kubernetes.driver.reusePersistentVolumeClaim=false");
        assertThat(settings.get("SPARKGATE_CONF_DENY").lines().map(String::strip)).contains(
                "spark.kubernetes.driver.ownPersistentVolumeClaim", "spark.kubernetes.driver.reusePersistentVolumeClaim",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.*");
        assertThat(RoleTest.grants(base.one(Role.class, "sparkgate")))
                .noneMatch(grant -> grant.resource().startsWith("persistentvolumeclaims"));
    }

    @Test
    void thePodKnowsItsAddressAndNameFromTheDownwardApi() {
        // given the gateway container's environment
        Map<String, EnvVar> env = env(gateway());

        // then executors will dial the pod IP, and the pod becomes their owner
        assertThat(env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env).doesNotContainKey("SPARKGATE_DRIVER_HOST");
    }

    @Test
    void theTokenComesFromASecretAndTheSettingsFromTheConfigMap() {
        // given the gateway container
        Container gateway = gateway();

        // then the token is the Secret the README has you create, and every setting is loaded from the ConfigMap
        var secret = env(gateway).get("SPARKGATE_TOKEN").getValueFrom().getSecretKeyRef();
        assertThat(secret.getName()).isEqualTo("sparkgate-token");
        assertThat(secret.getKey()).isEqualTo("token");
        assertThat(Repository.read("deploy/README.md")).contains("create secret generic sparkgate-token");
        assertThat(gateway.getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(settings().getMetadata().getName()));
    }

    @Test
    void theImageCatalogIsMountedWhereTheSettingPointsAndDeclaresTheExecutorImage() {
        // given the generated catalog ConfigMap and the gateway's mounts
        ConfigMap catalog = base.generated(ConfigMap.class, "sparkgate-image-catalog");
        Container gateway = gateway();
        String mountPath = gateway.getVolumeMounts().stream()
                .filter(m -> volumeConfigMap(m.getName()).equals(catalog.getMetadata().getName()))
                .findFirst().orElseThrow().getMountPath();

        // then SPARKGATE_IMAGE_CATALOG names the mounted file, and the file declares the default executor image
        assertThat(env(gateway).get("SPARKGATE_IMAGE_CATALOG").getValue())
                .isEqualTo(mountPath + "/image-catalog.properties");
        assertThat(catalog.getData().get("image-catalog.properties"))
                .containsPattern("(?m)^" + java.util.regex.Pattern.quote(settings().getData().get("SPARKGATE_EXECUTOR_IMAGE"))
                        + "\\s+spark=" + java.util.regex.Pattern.quote(Repository.pomProperty("spark.version")) + "\\s");
        // and its Java, which the version check compares where drivers run the image (pod placement), is its tag's
        String executorImage = settings().getData().get("SPARKGATE_EXECUTOR_IMAGE");
        java.util.regex.Matcher tagJava = java.util.regex.Pattern.compile("-java(\\d+)-").matcher(executorImage);
        assertThat(tagJava.find()).as("the Java in %s", executorImage).isTrue();
        assertThat(catalog.getData().get("image-catalog.properties"))
                .containsPattern("(?m)^" + java.util.regex.Pattern.quote(executorImage) + "\\s.*\\bjava="
                        + tagJava.group(1) + "\\s*$");
    }

    @Test
    void probesAskHealthzAndReadyzOnTheApiPort() {
        // given the gateway container
        Container gateway = gateway();

        // then startup and liveness ask /healthz (alive), readiness /readyz (the cluster reachable), both without token
        assertThat(gateway.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        for (Probe probe : List.of(gateway.getStartupProbe(), gateway.getReadinessProbe(), gateway.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("api");
        }
        assertThat(gateway.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("api");
            assertThat(port.getContainerPort()).isEqualTo(8998);
        });
    }

    @Test
    void aScrapeTokenIsTakenFromAnOptionalSecret() {
        // given the gateway container's environment
        var scrapeToken = env(gateway()).get("SPARKGATE_METRICS_TOKEN");

        // then the scrape token comes from its own Secret, which an operator may leave out
        assertThat(scrapeToken.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sparkgate-metrics-token");
        assertThat(scrapeToken.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    }

    @Test
    void theGatewayRunsAsTheSparkUserWithResourcesAndAWritableWorkDir() {
        // given the gateway's pod
        PodSpec pod = base.one(Deployment.class, "sparkgate").getSpec().getTemplate().getSpec();
        Container gateway = gateway();

        // then it is not root, asks for resources, and its work dir is an emptyDir
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(185L);
        assertThat(gateway.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(gateway.getResources().getLimits()).containsKey("memory");
        String workDir = env(gateway).get("SPARKGATE_WORK_DIR").getValue();
        String volume = gateway.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(workDir))
                .findFirst().orElseThrow().getName();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(volume))
                .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }

    @Test
    void theServiceSelectsTheGatewayPodOnItsApiPort() {
        // given the Service and the pod template
        Service service = base.one(Service.class, "sparkgate");
        Map<String, String> podLabels = base.one(Deployment.class, "sparkgate").getSpec().getTemplate().getMetadata()
                .getLabels();

        // then it selects the pod and forwards 8998 to the named port; no Service exists for the drivers' ports
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8998);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("api");
        });
    }

    @Test
    void theGatewayImageIsTaggedWithTheProjectVersion() {
        // then the image is pinned, to the version the build makes
        assertThat(gateway().getImage()).isEqualTo("sparkgate/gateway:" + Repository.projectVersion());
    }

    @Test
    void everyVariableTheDeploymentSetsIsOneTheGatewayReads() {
        // given the names in the settings ConfigMap and the container's own env
        Map<String, String> settings = settings().getData();
        List<String> names = new java.util.ArrayList<>(settings.keySet());
        names.addAll(env(gateway()).keySet());

        // then each is read by the gateway's code: a misspelt one would configure nothing
        assertThat(GatewaySources.environmentNames()).containsAll(names);
    }

    private static ConfigMap settings() {
        return base.one(ConfigMap.class, "sparkgate-settings");
    }

    private static Container gateway() {
        return base.one(Deployment.class, "sparkgate").getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("gateway")).findFirst().orElseThrow();
    }

    private static String volumeConfigMap(String volumeName) {
        return base.one(Deployment.class, "sparkgate").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(volumeName) && v.getConfigMap() != null)
                .map(v -> v.getConfigMap().getName()).findFirst().orElse("");
    }

    static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
