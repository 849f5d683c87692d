package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real client-mode Spark 3.5 driver, in this JVM, against the emulated cluster: Spark's own scheduler backend asks
 * the API server for executor pods, and the local kubelet runs them. One SparkSession serves the whole class, in order:
 * executors start, run tasks, survive the loss of one, and go away when Spark stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClientModeTest {

  private static EmulatedCluster cluster;
  private static KubernetesClient client;
  private static SparkSession spark;
  private static JavaSparkContext sc;

  @BeforeAll
  static void startSparkOnTheEmulatedCluster() {
    cluster = EmulatedCluster.builder()
        .workDir(Path.of("target", "kube-emulator-tests", SparkClientModeTest.class.getSimpleName()))
        .start();
    client = cluster.client();
    spark = SparkSession.builder()
        .appName("sparkgate-emulated-cluster-test")
        .master(cluster.masterUrl())
        .config("spark.submit.deployMode", "client")
        .config("spark.kubernetes.container.image", "sparkgate/spark:3.5.6")
        .config("spark.kubernetes.executor.podNamePrefix", "emulated-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.instances", "2")
        .config("spark.executor.cores", "1")
        .config("spark.executor.memory", "512m")
        .config("spark.ui.enabled", "false")
        // Spark also lists its pods every 30 s, and drops executors the list lacks: poll often so that path runs too.
        .config("spark.kubernetes.executor.apiPollingInterval", "2s")
        .getOrCreate();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopAll() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void bothExecutorPodsRunAsLocalProcesses() {
    // given a session that getOrCreate() returned, its executors registered

    // then the cluster holds two executor pods, running on 127.0.0.1, each a live local process
    Await.until(Duration.ofSeconds(30), "two executor pods Running", () -> runningExecutorPods().size() == 2);
    assertThat(runningExecutorPods()).allSatisfy(pod -> {
      assertThat(pod.getStatus().getPodIP()).isEqualTo("127.0.0.1");
      assertThat(pod.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
      assertThat(cluster.kubelet().processOf(pod.getMetadata().getName())).hasValueSatisfying(
          process -> assertThat(process.isAlive()).isTrue());
    });
  }

  @Test
  @Order(2)
  void tasksRunOnBothExecutors() {
    // when a job of eight small tasks runs
    List<String> executorIds = sc.parallelize(IntStream.range(0, 8).boxed().collect(Collectors.toList()), 8)
        .map(i -> {
          Thread.sleep(200);
          return SparkEnv.get().executorId();
        })
        .collect();

    // then its tasks ran on both executors, the ones the pods are labelled with
    Set<String> podExecutorIds = runningExecutorPods().stream()
        .map(pod -> pod.getMetadata().getLabels().get("spark-exec-id"))
        .collect(Collectors.toSet());
    assertThat(new HashSet<>(executorIds)).isEqualTo(podExecutorIds).hasSize(2);
  }

  @Test
  @Order(3)
  void aKilledExecutorIsReplacedByANewPodAndTheJobStillCompletes() throws Exception {
    // given a job whose tasks are running on both executors
    List<String> podsBefore = names(runningExecutorPods());
    CountDownLatch twoTasksStarted = new CountDownLatch(2);
    SparkListener taskStarts = new SparkListener() {
      @Override
      public void onTaskStart(SparkListenerTaskStart taskStart) {
        twoTasksStarted.countDown();
      }
    };
    spark.sparkContext().addSparkListener(taskStarts);
    CompletableFuture<Long> job = CompletableFuture.supplyAsync(() ->
        sc.parallelize(IntStream.range(0, 4).boxed().collect(Collectors.toList()), 4)
            .map(i -> {
              Thread.sleep(2_000);
              return i;
            })
            .count());
    assertThat(twoTasksStarted.await(20, TimeUnit.SECONDS)).as("two tasks started").isTrue();
    spark.sparkContext().removeSparkListener(taskStarts);

    // when one executor's process is killed
    String victim = podsBefore.get(0);
    cluster.kubelet().processOf(victim).orElseThrow().destroyForcibly();

    // then the job still completes
    assertThat(job.get(60, TimeUnit.SECONDS)).isEqualTo(4);
    // and Spark replaced the lost executor with a new pod, which the kubelet runs
    Await.until(Duration.ofSeconds(30), "a replacement executor pod Running",
        () -> runningExecutorPods().size() == 2 && !names(runningExecutorPods()).contains(victim));
    assertThat(names(runningExecutorPods())).contains(podsBefore.get(1)).doesNotContain(victim);
    Await.until(Duration.ofSeconds(30), "two executors registered with the driver",
        () -> spark.sparkContext().statusTracker().getExecutorInfos().length == 3);
  }

  @Test
  @Order(4)
  void stoppingSparkDeletesItsExecutorPods() {
    // given the executor processes of the session
    List<ProcessHandle> processes = runningExecutorPods().stream()
        .map(pod -> cluster.kubelet().processOf(pod.getMetadata().getName()).orElseThrow())
        .collect(Collectors.toList());

    // when Spark stops
    spark.stop();
    spark = null;

    // then its executor pods are gone within ten seconds, and so are their processes
    Await.until(Duration.ofSeconds(10), "no executor pods left", () -> executorPods().isEmpty());
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }

  private static List<Pod> executorPods() {
    return client.pods().withLabel("spark-role", "executor").list().getItems();
  }

  private static List<Pod> runningExecutorPods() {
    return executorPods().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> "Running".equals(pod.getStatus().getPhase()))
        .collect(Collectors.toList());
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getName()).sorted().collect(Collectors.toList());
  }
}
