package dev.sparkgate.gateway.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines a session's driver wrote (its stdout and stderr, read from its log file by {@link DriverLogTailer}),
 * plus the gateway's own notes about it.
 * Bounded: a chatty driver cannot exhaust the gateway's memory. Lines are numbered from the first ever written, so
 * a client paging with {@code from} keeps its place as old lines fall off.
 */
public final class DriverLog {

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long total;
    /** Where lines go once this log was handed over (a pooled driver's, to the session that took it); else null. */
    private DriverLog handedTo;

    public DriverLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void append(String line) {
        if (handedTo != null) {
            handedTo.append(line);
            return;
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
        total++;
    }

    public synchronized long total() {
        return total;
    }

    /** Up to {@code size} lines starting at line number {@code from} (clamped to what is still kept). */
    public synchronized List<String> lines(long from, int size) {
        long first = total - lines.size();
        long start = Math.max(from, first);
        List<String> page = new ArrayList<>();
        long index = first;
        for (String line : lines) {
            if (index >= start && page.size() < size) {
                page.add(line);
            }
            index++;
        }
        return page;
    }

    public synchronized List<String> tail(int size) {
        return lines(Math.max(0, total - size), size);
    }

    /**
     * Hands this log over to {@code into}: the lines it has, then every later one. A pooled driver's output becomes
     * the session's that took it, from its first line. ({@code into} never calls back here, so the two locks are
     * always taken in this order.)
     */
    public synchronized void handOver(DriverLog into) {
        lines.forEach(into::append);
        lines.clear();
        handedTo = into;
    }
}
