package dev.sparkgate.gateway.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What local placement keeps so that its drivers outlive the gateway: one small JSON file per session in
 * {@code WORK_DIR/sessions/} ({@code ID.json}: the session as the core wrote it, the driver's pid and start time, its
 * working directory and its secret file), and the next session id ({@code next-id}). Each file is written whole to a
 * temporary file and moved over the old one, so a gateway killed mid-write leaves the old file or the new one, never
 * half of one. The secret itself stays in the driver's 0600 file; the record names it.
 */
final class LocalRecords implements SessionIds {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecords.class);
    private static final String NEXT_ID = "next-id";

    /** Where and which the driver process is. {@code started}: its start time, so a reused pid is not taken for it. */
    record Where(long pid, String started, String workDir, String secretFile) {
    }

    /** One session's file. */
    record Entry(int id, JsonNode session, Where driver) {
    }

    private final Path dir;

    LocalRecords(Path workDir) {
        this.dir = workDir.resolve("sessions");
    }

    void write(int id, String session, Where where) {
        writeAtomically(dir.resolve(id + ".json"), Json.write(new Entry(id, Json.read(session, JsonNode.class), where)));
    }

    void delete(int id) {
        try {
            Files.deleteIfExists(dir.resolve(id + ".json"));
        } catch (IOException e) {
            LOG.warn("session {}: could not delete its record {}: {}", id, dir.resolve(id + ".json"), e.toString());
        }
    }

    /** Every readable record; one that cannot be read is logged, left for the operator, and skipped. */
    List<Entry> read() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).sorted().toList()) {
                try {
                    entries.add(Json.read(Files.readString(file), Entry.class));
                } catch (IOException | UncheckedIOException e) {
                    LOG.error("cannot read the session record {} ({}); its session is not recovered. Move it away once "
                            + "its driver is stopped.", file, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the session records in " + dir, e);
        }
        return entries;
    }

    // The file is the counter (no copy in memory): one lock for every instance over it in this JVM.
    @Override
    public int next() {
        synchronized (LocalRecords.class) {
            int id = stored();
            writeAtomically(dir.resolve(NEXT_ID), String.valueOf(id + 1));
            return id;
        }
    }

    @Override
    public void skipPast(int id) {
        synchronized (LocalRecords.class) {
            if (stored() <= id) {
                writeAtomically(dir.resolve(NEXT_ID), String.valueOf(id + 1));
            }
        }
    }

    private int stored() {
        Path file = dir.resolve(NEXT_ID);
        try {
            return Files.exists(file) ? Math.max(0, Integer.parseInt(Files.readString(file).strip())) : 0;
        } catch (IOException | NumberFormatException e) {
            // the records still say which ids were used: recovery skips past them
            LOG.warn("cannot read the next session id from {} ({}); counting from the sessions found", file, e.toString());
            return 0;
        }
    }

    private void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": the gateway needs its work directory ("
                    + "SPARKGATE_WORK_DIR) writable to keep its sessions across restarts", e);
        }
    }
}
