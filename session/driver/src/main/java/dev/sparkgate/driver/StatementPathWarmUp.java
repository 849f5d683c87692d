package dev.sparkgate.driver;

import dev.sparkgate.driver.output.BoundedBundle;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;

import java.util.List;
import java.util.Map;

/**
 * A statement's way through the driver's link, walked a few hundred times with nothing sent, once the interpreters'
 * warm-ups are done: a command read from JSON, its events written as JSON and framed as the link frames them. A driver
 * is a new JVM with every session, and timed hop by hop its first few hundred statements paid 0.3–3 ms per hop with
 * this code still interpreted, against 0.1–0.3 ms once the JIT had compiled it
 * (bench/results/statement-latency.md); C1 compiles a method after about 200 calls. The kernel does the same for its
 * side (kernel-bridge's {@code ColdPath}). What this cannot reach, the interpreters' own run, their warm-ups cover.
 */
final class StatementPathWarmUp {

    /** Walks: each calls the per-statement methods once or a few times; about 0.1–0.3 s of one core in all. */
    static final int WALKS = 300;

    private StatementPathWarmUp() {
    }

    /** Walks the path {@link #WALKS} times; stops at the first failure, which is harmless and only reported. */
    static boolean warm() {
        Draft_6455 framing = new Draft_6455();
        for (int i = 0; i < WALKS; i++) {
            if (!walk(framing)) {
                return false;
            }
        }
        return true;
    }

    /** One statement's way, as {@code 1+1} in Python takes it; returns whether all of it ran. */
    static boolean walk(Draft_6455 framing) {
        try {
            String command = Json.write(new DriverCommand.Execute(0, Kind.pyspark, "1+1"));
            Json.read(command, DriverCommand.class);
            for (StatementEvent event : List.of(new StatementEvent.Accepted(0, Kind.pyspark.name(), "1+1", 0),
                    new StatementEvent.Started(0, 0),
                    new StatementEvent.Stream(0, StatementEvent.StreamName.stdout, "2\n"),
                    StatementEvent.Finished.ok(0, BoundedBundle.of(Map.of(Mime.TEXT, "2"))))) {
                // as GatewayLink.send: the message's JSON, then the frames a client sends (masked)
                for (Framedata frame : framing.createFrames(Json.write(new DriverMessage.Event(0, event)), true)) {
                    framing.createBinaryFrame(frame);
                }
            }
            return true;
        } catch (RuntimeException e) {
            System.err.println("sparkgate-driver: warming the statement path failed (harmless): " + e);
            return false;
        }
    }
}
