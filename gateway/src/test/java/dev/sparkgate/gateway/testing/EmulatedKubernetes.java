package dev.sparkgate.gateway.testing;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import dev.sparkgate.gateway.kubernetes.driverpod.DriverPodSettings;
import dev.sparkgate.kube.emulator.EmulatedCluster;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import dev.sparkgate.kube.emulator.ImageRegistry;
import dev.sparkgate.testkit.OutsideTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The emulated cluster for gateway tests: executors run from the same driver runtime the sessions use, and the
 * gateway is configured against it exactly as against a real cluster, through a kubeconfig.
 */
public final class EmulatedKubernetes {

    private EmulatedKubernetes() {
    }

    /** The image sessions use unless a test names another: Spark 3.5.6 and the Python of Debian's python3. */
    public static final String SPARK_IMAGE = "sparkgate-test/spark:3.5.6";

    /** A cluster whose images are those declared under {@code images} (written with {@link #image}). */
    public static EmulatedCluster start(String name, Path images, boolean strict) {
        OutsideTools.PYTHON3.require();
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("k8s-" + name);
        image(images, "sparkgate-test/spark", "3.5.6", "3.5.6", debianPythonVersion(), true, false);
        ImageRegistry registry = ImageRegistry.declaredIn(images);
        return EmulatedCluster.builder().workDir(work).images(strict ? registry.strict() : registry)
                .executorClasspath(driverRuntime()).start();
    }

    public static EmulatedCluster start(String name) {
        return start(name, Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("images-" + name), false);
    }

    /**
     * Declares an emulated image: its {@code python3} and {@code spark-submit} print the versions it claims, so the
     * gateway's probe pod learns them as it would from a real image. Executors run the built-in Spark whatever an
     * image claims (see kube-emulator's README).
     */
    public static void image(Path root, String name, String tag, String spark, String python, boolean pullable,
                             boolean slow) {
        try {
            Path bin = Files.createDirectories(root.resolve(name).resolve(tag).resolve("bin"));
            Files.writeString(bin.getParent().resolve("image.properties"),
                    "spark.version=" + spark + "\npython.version=" + python + "\npullable=" + pullable + "\n");
            executable(bin.resolve("python3"), (slow ? "sleep 60\n" : "") + "echo \"Python " + python + "\"\n");
            executable(bin.resolve("spark-submit"), "echo '   /___/ .__/\\_,_/_/ /_/\\_\\   version " + spark
                    + "' >&2\necho 'Using Scala version 2.12.18' >&2\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Gives an image declared by {@link #image} a Java of {@code version} where Spark's images keep theirs
     * ({@code JAVA_HOME=/opt/java/openjdk}): a stand-in whose {@code java -version} prints it, as the probe pod and a
     * driver pod's command find it. It runs nothing else, as a JDK too old for the driver would not.
     */
    public static void javaOf(Path root, String name, String tag, String version) {
        try {
            Path image = root.resolve(name).resolve(tag);
            Path bin = Files.createDirectories(image.resolve("rootfs/opt/java/openjdk/bin"));
            executable(bin.resolve("java"), "echo 'openjdk version \"" + version + "\" 2024-01-16' >&2\n"
                    + "[ \"$1\" = -version ] || { echo 'UnsupportedClassVersionError: this Java is " + version
                    + "' >&2; exit 1; }\n");
            Files.writeString(image.resolve("image.properties"), "java.version=" + version
                    + "\njava.home=/opt/java/openjdk\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The version of /usr/bin/python3, the driver Python of the tests, so that images can match it. */
    private static String debianPythonVersion() {
        try {
            Process python = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import platform; print(platform.python_version())").redirectErrorStream(true).start();
            return new String(python.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The emulated node of driver pods: room for a few sessions' drivers and executors, not for a 16g driver. */
    public static final String NODE_CPUS = "8";
    public static final String NODE_MEMORY = "12Gi";

    /** The Sparkgate image of driver pods: its {@code /opt/sparkgate/driver} is the locally built driver runtime. */
    public static final String SPARKGATE_IMAGE = "sparkgate-test/sparkgate:dev";
    /** A Spark image a driver can run: Spark 3.5.6 in {@code /opt/spark}, Debian's python3 with PySpark. */
    public static final String DRIVER_SPARK_IMAGE = "sparkgate-test/spark-py:3.5.6";

    /**
     * A cluster for drivers in pods of their own: the Sparkgate image holds the driver runtime laid out as
     * deploy/Dockerfile lays it out (the driver jar, and in {@code lib/} only Sparkgate's jars and Java-WebSocket, since
     * the driver runs the image's Spark), and {@link #DRIVER_SPARK_IMAGE} is a Spark image with a real Python.
     */
    public static EmulatedCluster startForDriverPods(String name, Path images, boolean strict) {
        OutsideTools.PYTHON3.require();
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("k8s-" + name);
        sparkgateImage(images);
        sparkImage(images, "sparkgate-test/spark-py", "3.5.6", OutsideTools.DEBIAN_PYTHON, debianPythonVersion());
        ImageRegistry registry = ImageRegistry.declaredIn(images);
        // A node of a known size, so that a driver too large for it is Unschedulable.
        EmulatedCluster cluster = EmulatedCluster.builder().workDir(work).images(strict ? registry.strict() : registry)
                .executorClasspath(driverRuntime()).nodeCapacity(NODE_CPUS, NODE_MEMORY).start();
        driverAccount(cluster, "default");
        return cluster;
    }

    /**
     * The drivers' service account in {@code namespace}, with a Role granting exactly what the gateway says a driver
     * needs ({@link RequiredPermission#DRIVER}): the emulated API server enforces it on the driver's token.
     */
    public static void driverAccount(EmulatedCluster cluster, String namespace) {
        driverAccount(cluster, namespace, DriverPodSettings.DEFAULT_SERVICE_ACCOUNT);
    }

    /**
     * A team's namespace as an operator prepares it for sessions placed by user or group: the namespace, and in it the
     * drivers' account {@code account} with exactly {@link RequiredPermission#DRIVER}.
     */
    public static void teamNamespace(EmulatedCluster cluster, String namespace, String account) {
        cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(namespace).endMetadata().build()).createOrReplace();
        driverAccount(cluster, namespace, account);
    }

    /** The drivers' service account {@code name} in {@code namespace}, with a Role of {@link RequiredPermission#DRIVER}. */
    public static void driverAccount(EmulatedCluster cluster, String namespace, String name) {
        cluster.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).endMetadata().build()).createOrReplace();
        Map<String, List<String>> verbsByResource = new java.util.LinkedHashMap<>();
        for (RequiredPermission permission : RequiredPermission.DRIVER) {
            verbsByResource.computeIfAbsent(permission.resourceName(), r -> new ArrayList<>()).add(permission.verb());
        }
        RoleBuilder role = new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
        verbsByResource.forEach((resource, verbs) -> role.addNewRule().withApiGroups("").withResources(resource)
                .withVerbs(verbs).endRule());
        cluster.client().rbac().roles().inNamespace(namespace).resource(role.build()).createOrReplace();
        cluster.client().rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
                .build()).createOrReplace();
    }

    /**
     * Declares a Spark image whose {@code python3} is {@code python} (a real one), with Spark 3.5.6's jars (the driver
     * runtime's) and PySpark's Python side ({@link OutsideTools#PYSPARK}, when present) in its {@code /opt/spark}.
     */
    public static void sparkImage(Path root, String name, String tag, Path python, String pythonVersion) {
        try {
            Path dir = Files.createDirectories(root.resolve(name).resolve(tag));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.writeString(dir.resolve("image.properties"), "spark.version=3.5.6\npython.version=" + pythonVersion
                    + "\nspark.home=/opt/spark\n");
            link(bin.resolve("python3"), python);
            Path spark = Files.createDirectories(dir.resolve("rootfs/opt/spark"));
            link(spark.resolve("jars"), driverHome().resolve("lib"));
            if (OutsideTools.PYSPARK.isPresent()) {
                pysparkOf(spark.resolve("python"), OutsideTools.sparkHome().resolve("python"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Declares a Spark 4.1.1 image as {@code apache/spark:4.1.1-scala2.13-...} is for Spark: its {@code /opt/spark/jars}
     * holds Spark 4.1.1's jars (the 4.1 driver runtime's {@code lib/} without Sparkgate's own jars), which its
     * executors run on; its {@code spark-submit} and {@code python3} print the versions it claims, for the probe.
     */
    public static void spark41Image(Path root, String name, String tag) {
        try {
            Path dir = Files.createDirectories(root.resolve(name).resolve(tag));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            String python = debianPythonVersion();
            Files.writeString(dir.resolve("image.properties"), "spark.version=4.1.1\npython.version=" + python
                    + "\nspark.home=/opt/spark\n");
            executable(bin.resolve("python3"), "echo \"Python " + python + "\"\n");
            executable(bin.resolve("spark-submit"), "echo '   /___/ .__/\\_,_/_/ /_/\\_\\   version 4.1.1' >&2\n"
                    + "echo 'Using Scala version 2.13.17' >&2\n");
            Path jars = Files.createDirectories(dir.resolve("rootfs/opt/spark/jars"));
            Path runtime = driverHome().resolveSibling(driverHome().getFileName() + "-4.1").resolve("lib");
            try (Stream<Path> libs = Files.list(runtime)) {
                for (Path jar : libs.filter(j -> !j.getFileName().toString().matches("(sparkgate-|Java-WebSocket-).*"))
                        .toList()) {
                    link(jars.resolve(jar.getFileName()), jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Spark image's {@code python/}, as Spark's images carry it: {@code pyspark/} for the driver, and
     * {@code lib/pyspark.zip} beside Py4J's zip, which executors put on their Python workers' path.
     */
    private static void pysparkOf(Path python, Path source) throws IOException {
        Path lib = Files.createDirectories(python.resolve("lib"));
        link(python.resolve("pyspark"), source.resolve("pyspark"));
        try (Stream<Path> zips = Files.list(source.resolve("lib"))) {
            for (Path zip : zips.filter(z -> z.getFileName().toString().startsWith("py4j-")).toList()) {
                link(lib.resolve(zip.getFileName()), zip);
            }
        }
        Path zip = lib.resolve("pyspark.zip");
        if (Files.exists(zip)) {
            return;
        }
        Path base = source.toAbsolutePath();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> files = Files.walk(base.resolve("pyspark"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.zip.ZipEntry(base.relativize(file).toString()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private static void sparkgateImage(Path root) {
        try {
            Path image = Files.createDirectories(root.resolve(SPARKGATE_IMAGE.replace(':', '/')));
            Files.writeString(image.resolve("image.properties"), "sparkgate=dev\n");
            // as deploy/Dockerfile lays them out: the home's runtime in driver/, the 4.1 one in driver-4.1/
            Path home = driverHome();
            for (String dir : List.of("driver", "driver-4.1")) {
                Path built = dir.equals("driver") ? home : home.resolveSibling(home.getFileName() + "-4.1");
                Path runtime = Files.createDirectories(image.resolve("rootfs/opt/sparkgate/" + dir + "/lib"));
                link(runtime.getParent().resolve("sparkgate-driver.jar"), built.resolve("sparkgate-driver.jar"));
                try (Stream<Path> jars = Files.list(built.resolve("lib"))) {
                    for (Path jar : jars.filter(j -> j.getFileName().toString().matches("(sparkgate-|Java-WebSocket-).*\\.jar"))
                            .toList()) {
                        link(runtime.resolve(jar.getFileName()), jar);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target.toAbsolutePath());
    }

    /** Gateway settings that put each driver in a pod of its own on {@code cluster} (after {@link #gatewaySettings}). */
    public static Map<String, String> podPlacementSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("SPARKGATE_PLACEMENT", "pod");
        settings.put("SPARKGATE_IMAGE", SPARKGATE_IMAGE);
        settings.put("SPARKGATE_EXECUTOR_IMAGE", DRIVER_SPARK_IMAGE);
        // Every emulated pod is 127.0.0.1: each session's driver needs ports of its own.
        settings.put("SPARKGATE_DRIVER_POD_PORTS", "per-session");
        settings.put("SPARKGATE_DRIVER_MEMORY", "512m");
        return settings;
    }

    private static Path driverHome() {
        return Path.of(System.getProperty("sparkgate.driver.home")).toAbsolutePath();
    }

    /** Gateway settings that point at {@code cluster}; {@code instance} names the gateway on its executor pods. */
    public static Map<String, String> gatewaySettings(EmulatedCluster cluster, String instance, String ports) {
        Path kubeconfig = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("kubeconfig-" + instance);
        cluster.writeKubeconfig(kubeconfig);
        Map<String, String> settings = new HashMap<>();
        settings.put("KUBECONFIG", kubeconfig.toString());
        settings.put("SPARKGATE_NAMESPACE", "default");
        settings.put("SPARKGATE_INSTANCE", instance);
        settings.put("SPARKGATE_EXECUTOR_IMAGE", SPARK_IMAGE);
        settings.put("SPARKGATE_DRIVER_PYTHONS", "/usr/bin/python3");
        // Emulated executors run on this machine: they reach drivers on loopback.
        settings.put("SPARKGATE_DRIVER_HOST", "127.0.0.1");
        settings.put("SPARKGATE_DRIVER_PORTS", ports);
        settings.put("SPARKGATE_SPARK_CONF", "spark.executor.memory=512m,spark.executor.cores=1,"
                + "spark.kubernetes.executor.request.cores=0.1,spark.sql.shuffle.partitions=4");
        return settings;
    }

    private static List<Path> driverRuntime() {
        Path home = Path.of(System.getProperty("sparkgate.driver.home")).toAbsolutePath();
        List<Path> classpath = new ArrayList<>();
        classpath.add(home.resolve("sparkgate-driver.jar"));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(classpath::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classpath;
    }
}
