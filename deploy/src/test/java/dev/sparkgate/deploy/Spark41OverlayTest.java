package dev.sparkgate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark 4.1 overlay: the base with the gateway built from deploy/Dockerfile.spark41, the executor image that image
 * is built FROM, and the catalog line that declares it. Everything else is the base's.
 */
class Spark41OverlayTest {

    private static final String SPARK41_POM = "session/driver-spark41/pom.xml";
    private static Manifests base;
    private static Manifests spark41;

    @BeforeAll
    static void render() {
        base = Manifests.render("deploy/kubernetes/base");
        spark41 = Manifests.render("deploy/kubernetes/overlays/spark41");
    }

    @Test
    void theGatewayIsTheSpark41ImageAndDriverPodsCopyTheirRuntimeFromIt() {
        // given the overlay's gateway container and settings
        String image = gatewayImage(spark41);

        // then the gateway runs the image Dockerfile.spark41 builds (deploy/README.md's tag), and driver pods copy the
        // runtime from that very image: the 4.1 runtime, not the base's 3.5 one
        assertThat(image).isEqualTo("sparkgate/gateway:" + Repository.projectVersion() + "-spark4.1");
        assertThat(Repository.read("deploy/README.md")).contains("-t " + image + " .");
        assertThat(settings(spark41).get("SPARKGATE_IMAGE")).isEqualTo(image);
    }

    @Test
    void executorsRunTheImageTheGatewayIsBuiltFromAndTheCatalogDeclaresIt() {
        // given the overlay's executor image and catalog
        String executorImage = settings(spark41).get("SPARKGATE_EXECUTOR_IMAGE");
        String catalog = spark41.generated(ConfigMap.class, "sparkgate-image-catalog").getData()
                .get("image-catalog.properties");

        // then it is Dockerfile.spark41's base, pinned, of the Spark and Scala the 4.1 runtime is built against
        assertThat(executorImage).isEqualTo(Dockerfile.read(Dockerfile.SPARK41).from())
                .startsWith("apache/spark:" + Repository.pomProperty(SPARK41_POM, "spark.version") + "-scala"
                        + Repository.pomProperty(SPARK41_POM, "scala.binary.version") + "-java17-python3-");
        assertThat(Images.isPinned(executorImage)).isTrue();
        // and the catalog declares its Spark and Java, so no probe pod is needed, and no longer the 3.5 image
        assertThat(catalog).containsPattern("(?m)^" + Pattern.quote(executorImage) + "\\s+spark="
                + Pattern.quote(Repository.pomProperty(SPARK41_POM, "spark.version")) + "\\s.*\\bjava=17\\s*$");
        assertThat(catalog).doesNotContain(settings(base).get("SPARKGATE_EXECUTOR_IMAGE"));
    }

    @Test
    void everythingElseIsTheBases() {
        // then the same objects (generated names aside), the same Roles, and every other setting unchanged
        assertThat(spark41.objects()).extracting(Spark41OverlayTest::identity)
                .containsExactlyInAnyOrderElementsOf(base.objects().stream().map(Spark41OverlayTest::identity).toList());
        assertThat(spark41.one(Role.class, "sparkgate").getRules()).isEqualTo(base.one(Role.class, "sparkgate").getRules());
        assertThat(spark41.one(Role.class, "sparkgate-driver").getRules())
                .isEqualTo(base.one(Role.class, "sparkgate-driver").getRules());
        assertThat(settings(spark41)).hasSameSizeAs(settings(base));
        settings(base).forEach((name, value) -> {
            if (!name.equals("SPARKGATE_IMAGE") && !name.equals("SPARKGATE_EXECUTOR_IMAGE")) {
                assertThat(settings(spark41).get(name)).as(name).isEqualTo(value);
            }
        });
    }

    private static String identity(HasMetadata object) {
        // a generated ConfigMap's name ends in a hash of its content, which differs with the catalog
        return object.getKind() + " " + object.getMetadata().getName().replaceFirst("-[a-z0-9]{10}$", "-<hash>");
    }

    private static java.util.Map<String, String> settings(Manifests manifests) {
        return manifests.one(ConfigMap.class, "sparkgate-settings").getData();
    }

    private static String gatewayImage(Manifests manifests) {
        return manifests.one(Deployment.class, "sparkgate").getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("gateway")).findFirst().orElseThrow().getImage();
    }
}
