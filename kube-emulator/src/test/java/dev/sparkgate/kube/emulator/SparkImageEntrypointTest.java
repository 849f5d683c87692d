package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkImageEntrypointTest {

  private final SparkImageEntrypoint entrypoint =
      new SparkImageEntrypoint(List.of(Path.of("/spark/jars/a.jar"), Path.of("/spark/jars/b.jar")));
  private final PodSandbox sandbox = new PodSandbox(Path.of("/work/pods/default/exec-1"));

  @Test
  void anImageWithASparkOfItsOwnRunsItsExecutorsOnItsJars() throws Exception {
    // given an executor container of an image whose rootfs holds its Spark (/opt/spark/jars, as apache/spark's)
    Container container = new ContainerBuilder().withName("spark-kubernetes-executor").withArgs("executor").build();

    // when the entrypoint decides what to run
    List<String> command = entrypoint.command(container, Map.of("SPARK_EXECUTOR_MEMORY", "512m"), sandbox,
        java.util.Optional.of(Path.of("/images/spark/4.1.1/rootfs/opt/spark/jars")));

    // then the executor's classpath is those jars, not the built-in runtime
    assertThat(command).containsSubsequence("-cp", "/images/spark/4.1.1/rootfs/opt/spark/jars/*",
        SparkImageEntrypoint.EXECUTOR_BACKEND);
    assertThat(String.join(" ", command)).doesNotContain("/spark/jars/a.jar");
  }

  @Test
  void anExecutorContainerRunsKubernetesExecutorBackendAsSparksEntrypointDoes() throws Exception {
    // given an executor container as Spark 3.5 builds it: args "executor" and its settings in the environment
    Container container = new ContainerBuilder().withName("spark-kubernetes-executor").withArgs("executor").build();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", "/jdk");
    env.put("SPARK_JAVA_OPT_10", "-Dspark.opt10=k");
    env.put("SPARK_JAVA_OPT_2", "-Dspark.opt2=c");
    env.put("SPARK_JAVA_OPT_0", "-Dspark.opt0=a");
    env.put("SPARK_JAVA_OPT_1", "-Dspark.opt1=b");
    env.put("SPARK_EXECUTOR_MEMORY", "512m");
    env.put("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@127.0.0.1:7078");
    env.put("SPARK_EXECUTOR_ID", "1");
    env.put("SPARK_EXECUTOR_CORES", "1");
    env.put("SPARK_APPLICATION_ID", "spark-app-1");
    env.put("SPARK_EXECUTOR_POD_IP", "127.0.0.1");
    env.put("SPARK_RESOURCE_PROFILE_ID", "0");
    env.put("SPARK_EXECUTOR_POD_NAME", "app-exec-1");

    // when the entrypoint decides what to run
    List<String> command = entrypoint.command(container, env, sandbox);

    // then it is the entrypoint's java command: options in numeric order, heap from SPARK_EXECUTOR_MEMORY
    assertThat(command).containsExactly(
        "/jdk/bin/java",
        "-Djava.io.tmpdir=/work/pods/default/exec-1/tmp",
        "-Dspark.opt0=a", "-Dspark.opt1=b", "-Dspark.opt2=c", "-Dspark.opt10=k",
        "-Xms512m", "-Xmx512m",
        "-cp", "/spark/jars/a.jar:/spark/jars/b.jar",
        "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend",
        "--driver-url", "spark://CoarseGrainedScheduler@127.0.0.1:7078",
        "--executor-id", "1",
        "--cores", "1",
        "--app-id", "spark-app-1",
        "--hostname", "127.0.0.1",
        "--resourceProfileId", "0",
        "--podName", "app-exec-1");
  }

  @Test
  void aContainerCommandReplacesTheEntrypoint() throws Exception {
    Container container = new ContainerBuilder().withCommand("sh", "-c").withArgs("python3 --version").build();

    assertThat(entrypoint.command(container, Map.of(), sandbox)).containsExactly("sh", "-c", "python3 --version");
  }

  @Test
  void argsThatAreNotASparkRoleRunAsACommand() throws Exception {
    Container container = new ContainerBuilder().withArgs("sleep", "1").build();

    assertThat(entrypoint.command(container, Map.of(), sandbox)).containsExactly("sleep", "1");
  }

  @Test
  void clusterModeDriversAreNotEmulated() {
    Container container = new ContainerBuilder().withArgs("driver", "--class", "Main").build();

    assertThatThrownBy(() -> entrypoint.command(container, Map.of(), sandbox))
        .isInstanceOf(SparkImageEntrypoint.NotRunnable.class)
        .hasMessageContaining("client mode");
  }
}
