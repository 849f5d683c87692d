package dev.sparkgate.gateway.driver;

import dev.sparkgate.gateway.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A driver's log file reaches its session's log line by line while it is written, and whole once it is done. */
class DriverLogTailerTest {

    private final DriverLogTailer tailer = new DriverLogTailer();
    private final DriverLog log = new DriverLog(100);
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        tailer.close();
    }

    @Test
    void linesArriveWhileTheFileGrowsAndTheLastOneWhenItIsFinished() throws Exception {
        Path file = Files.createFile(dir.resolve("driver.log"));
        DriverLogTailer.Tail tail = tailer.follow(file, log);

        append(file, "starting Spark\nready: Spark 3.5");
        Await.until("the first whole line in the log", Duration.ofSeconds(5), () -> log.total() == 1);
        append(file, ".6 on local[*]\r\nstopp\u00e9 sans retour \u00e0 la ligne");
        Await.until("the second whole line in the log", Duration.ofSeconds(5), () -> log.total() == 2);

        tail.finish();

        assertThat(log.lines(0, 10)).containsExactly("starting Spark", "ready: Spark 3.5.6 on local[*]",
                "stopp\u00e9 sans retour \u00e0 la ligne");
    }

    @Test
    void aFinishedTailReadsNothingMore() throws Exception {
        Path file = Files.createFile(dir.resolve("driver.log"));
        DriverLogTailer.Tail tail = tailer.follow(file, log);
        append(file, "last words\n");

        tail.finish();
        tail.finish();
        append(file, "written after the driver exited\n");
        Thread.sleep(600);

        assertThat(log.lines(0, 10)).containsExactly("last words");
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
