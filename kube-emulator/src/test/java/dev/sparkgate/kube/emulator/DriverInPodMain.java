package dev.sparkgate.kube.emulator;

import org.apache.spark.sql.SparkSession;

/**
 * A client-mode Spark driver as a driver pod runs one: everything it knows comes from its pod (the downward API's
 * POD_NAME, POD_NAMESPACE and POD_IP, the API server's address and its service account from the in-cluster
 * environment). It runs one job, says so, and stays until its pod is deleted.
 */
public final class DriverInPodMain {

  private DriverInPodMain() {}

  public static void main(String[] args) throws InterruptedException {
    SparkSession spark = SparkSession.builder()
        .appName("driver-in-pod")
        .master("k8s://" + System.getenv("KUBERNETES_MASTER"))
        .config("spark.submit.deployMode", "client")
        .config("spark.kubernetes.namespace", System.getenv("POD_NAMESPACE"))
        .config("spark.kubernetes.driver.pod.name", System.getenv("POD_NAME"))
        .config("spark.kubernetes.container.image", "sparkgate/spark:3.5.6")
        .config("spark.kubernetes.executor.podNamePrefix", "in-pod")
        .config("spark.driver.host", System.getenv("POD_IP"))
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.instances", "1")
        .config("spark.executor.memory", "512m")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    System.out.println("counted " + spark.range(0, 1000, 1, 2).count());
    Thread.sleep(Long.MAX_VALUE);
  }
}
