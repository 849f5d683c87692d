package dev.sparkgate.driver;

import dev.sparkgate.driver.output.OutputRouter;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverInfo;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.StatementEvent;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.java_websocket.drafts.Draft_6455;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the driver's class-data-sharing archive: the build runs it once per driver runtime with
 * {@code -XX:ArchiveClassesAtExit} and the exact classpath the gateway starts drivers with, so every class a session's
 * start and first cells load (Spark's context and UI, SQL planning and code generation, Scala's compiler, the
 * statement path) is read from the archive by every later driver instead of parsed and verified from the jars again.
 * It goes through the driver's own path (spec from JSON, {@link SparkBoot}, {@link Interpreters} and their warm-ups,
 * {@link StatementRunner}) without a gateway, then the link's (a loopback one, {@link ClaimPathWarmUp}), and exits 0
 * only when every cell finished {@code ok}.
 */
public final class ClassArchiveTraining {

    /** Cells as users send them: a Spark job from Scala, a query from SQL (both with Spark's code generation). */
    private static final List<DriverCommand.Execute> CELLS = List.of(
            new DriverCommand.Execute(1, Kind.spark, "spark.range(1000).selectExpr(\"sum(id)\").collect()(0).getLong(0)"),
            new DriverCommand.Execute(2, Kind.sql, "SELECT id % 3 AS k, count(*) AS n FROM range(100) GROUP BY k"),
            new DriverCommand.Execute(3, Kind.spark, "1 + 1"));

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        OutputRouter router = OutputRouter.install();
        // The main program's own class and what its start reads, which the cells below do not touch.
        SessionDriver.connectTimeout(null);
        SessionSpec spec = Json.read("{\"id\":-1,\"name\":\"class-archive-training\",\"kind\":\"shared\","
                + "\"sparkConf\":{\"spark.master\":\"local[2]\"},\"sqlRowCap\":1000}", SessionSpec.class);
        Path classDir = Files.createTempDirectory("sparkgate-archive-training-");
        SparkSession spark = SparkBoot.start(spec, classDir);
        Interpreters interpreters = new Interpreters(spec, spark, classDir, null);
        interpreters.warm().get(5, TimeUnit.MINUTES);
        CountDownLatch finished = new CountDownLatch(CELLS.size());
        StringBuilder failures = new StringBuilder();
        StatementRunner runner = new StatementRunner(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                interpreters, router, event -> {
                    if (event instanceof StatementEvent.Finished done) {
                        if (done.outcome() != StatementEvent.Outcome.ok) {
                            synchronized (failures) {
                                failures.append(" cell ").append(done.statementId()).append(": ").append(done.error());
                            }
                        }
                        finished.countDown();
                    }
                });
        CELLS.forEach(runner::submit);
        boolean allFinished = finished.await(5, TimeUnit.MINUTES);
        // The link's way (its WebSocket client, a Resume read, a Ready and events written): every driver dials its
        // gateway before Spark starts, and these classes were the link phase's own cold cost.
        var sc = spark.sparkContext();
        boolean linkWalked = ClaimPathWarmUp.walk(spec, new DriverInfo(spark.version(),
                scala.util.Properties.versionNumberString(), sc.master(), sc.applicationId(), null, null,
                ProcessHandle.current().pid())) && StatementPathWarmUp.walk(new Draft_6455());
        if (!linkWalked) {
            router.log().println("sparkgate class archive training: the link's way could not be walked (above); "
                    + "drivers load its classes from the jars");
        }
        runner.close();
        interpreters.close();
        spark.stop();
        if (!allFinished || failures.length() > 0) {
            router.log().println("sparkgate class archive training failed:"
                    + (allFinished ? failures : " cells still running after 5 minutes"));
            System.exit(1);
        }
        router.log().println("sparkgate class archive training: Spark, SQL and Scala cells ran; the JVM writes the archive as it exits");
        System.exit(0);
    }
}
