package dev.sparkgate.gateway.placement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One gateway per work directory on the embedded default: two would each take the other's sessions back and write
 * over each other's records. The gateway holds an OS file lock on {@code WORK_DIR/gateway.lock} for its life; the OS
 * releases it when the process ends however it ends ({@code kill -9} included), so a crash never blocks the restart
 * that recovers its sessions. The file names its holder (pid and port) for the refusal; it is never deleted, since
 * deleting it would let a third gateway lock a new file while the second still holds the old one.
 */
public final class WorkDirLock implements AutoCloseable {

    static final String FILE = "gateway.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code workDir} for this process, or refuses with {@link WorkDirInUse} naming the gateway holding it. */
    public static WorkDirLock take(Path workDir) {
        Path file = workDir.resolve(FILE);
        try {
            Files.createDirectories(workDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new WorkDirInUse(workDir, holder(file));
            }
            WorkDirLock taken = new WorkDirLock(channel, lock);
            taken.describe("pid " + ProcessHandle.current().pid());
            return taken;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the work directory " + workDir + " (" + file + "): " + e
                    + ". Check that this user may write there, or set SPARKGATE_WORK_DIR.", e);
        }
    }

    /** Names the port the holder listens on, for a second gateway's refusal. */
    public void listening(int port) {
        describe("pid " + ProcessHandle.current().pid() + ", port " + port);
    }

    private void describe(String holder) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? "a gateway starting now" : text;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process's end releases it anyway
        }
    }

    /** A second gateway on a work directory one already runs on: it must not start. */
    public static final class WorkDirInUse extends IllegalStateException {
        WorkDirInUse(Path workDir, String holder) {
            super("The work directory " + workDir + " is in use by another gateway (" + holder + "): stop that "
                    + "gateway, or give this one a work directory of its own (SPARKGATE_WORK_DIR).");
        }
    }
}
