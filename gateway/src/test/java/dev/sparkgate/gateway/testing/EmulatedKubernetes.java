package dev.sparkgate.gateway.testing;

import dev.sparkgate.kube.emulator.EmulatedCluster;
import dev.sparkgate.kube.emulator.ImageRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public static EmulatedCluster start(String name, ImageRegistry images) {
        Path work = Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath()
                .resolve("k8s-" + name);
        return EmulatedCluster.builder().workDir(work).images(images).executorClasspath(driverRuntime()).start();
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
        settings.put("SPARKGATE_EXECUTOR_IMAGE", "apache/spark:3.5.6");
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
