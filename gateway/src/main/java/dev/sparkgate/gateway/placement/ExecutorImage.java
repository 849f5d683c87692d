package dev.sparkgate.gateway.placement;

/** The image a session's executors will run, and the namespace they will run in (where a probe of it runs). */
public record ExecutorImage(String image, String namespace) {
}
