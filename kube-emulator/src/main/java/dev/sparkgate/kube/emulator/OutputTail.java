package dev.sparkgate.kube.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The last bytes a container wrote (stdout and stderr together, as {@code kubectl logs} shows them), kept in memory and
 * bounded: past the limit the oldest output is dropped, as a kubelet rotates container logs.
 */
final class OutputTail {

  static final int DEFAULT_LIMIT_BYTES = 1 << 20;

  private final int limitBytes;
  private final Deque<byte[]> chunks = new ArrayDeque<>();
  private int size;

  OutputTail(int limitBytes) {
    this.limitBytes = limitBytes;
  }

  synchronized void append(byte[] bytes, int length) {
    chunks.addLast(Arrays.copyOf(bytes, length));
    size += length;
    while (size - chunks.peekFirst().length >= limitBytes) {
      size -= chunks.removeFirst().length;
    }
  }

  /** Copies everything {@code in} gives until it ends; run on a thread of its own per container. */
  void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        append(buffer, n);
      }
    } catch (IOException e) {
      // The process went away mid-read: what was read is the log.
    }
  }

  synchronized String text() {
    ByteArrayOutputStream all = new ByteArrayOutputStream(size);
    chunks.forEach(all::writeBytes);
    byte[] bytes = all.toByteArray();
    int from = Math.max(0, bytes.length - limitBytes);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  /** The last {@code lines} lines, as {@code tailLines} asks. */
  String lastLines(int lines) {
    String text = text();
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int start = end;
    for (int found = 0; found < lines && start > 0; ) {
      start--;
      if (text.charAt(start) == '\n' && ++found == lines) {
        start++;
        break;
      }
    }
    return lines <= 0 ? "" : text.substring(start);
  }
}
