package dev.sparkgate.gateway.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows drivers' log files into their sessions' {@link DriverLog}s. A driver writes its own file (no pipe to the
 * gateway, so it does not depend on the gateway to keep running); one thread reads every file's new lines a few
 * times a second, however many sessions there are.
 */
public final class DriverLogTailer implements AutoCloseable {

    /** How often new lines are read: often enough that a session's log looks live, rarely enough to cost nothing. */
    private static final long INTERVAL_MILLIS = 200;

    private final Set<Tail> tails = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driver-log-tailer");
        t.setDaemon(true);
        return t;
    });

    public DriverLogTailer() {
        thread.scheduleWithFixedDelay(() -> tails.forEach(Tail::read), INTERVAL_MILLIS, INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Follows {@code file} (which exists) into {@code log} from its start, until {@link Tail#finish()}. */
    public Tail follow(Path file, DriverLog log) throws IOException {
        Tail tail = new Tail(FileChannel.open(file, StandardOpenOption.READ), log);
        tails.add(tail);
        return tail;
    }

    /** Stops the thread; files still followed are read no more. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** One followed file. */
    public final class Tail {

        private final FileChannel channel;
        private final DriverLog log;
        private final ByteBuffer buffer = ByteBuffer.allocate(8192);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean finished;

        private Tail(FileChannel channel, DriverLog log) {
            this.channel = channel;
            this.log = log;
        }

        /**
         * Reads what is left, including a last line without its newline, and stops following. Call it once the
         * writer has exited: when it returns, the log holds every line the file got.
         */
        public synchronized void finish() {
            if (finished) {
                return;
            }
            read();
            if (line.size() > 0) {
                emit();
            }
            finished = true;
            tails.remove(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to read from it
            }
        }

        private synchronized void read() {
            if (finished) {
                return;
            }
            try {
                while (channel.read(buffer.clear()) > 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        if (b == '\n') {
                            emit();
                        } else {
                            line.write(b);
                        }
                    }
                }
            } catch (IOException e) {
                log.append("sparkgate: cannot read the driver's log file any more: " + e);
                finished = true;
                tails.remove(this);
            }
        }

        private void emit() {
            int end = line.size();
            byte[] bytes = line.toByteArray();
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            log.append(new String(bytes, 0, end, StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
