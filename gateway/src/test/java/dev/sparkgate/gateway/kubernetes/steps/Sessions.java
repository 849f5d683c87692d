package dev.sparkgate.gateway.kubernetes.steps;

/** A session as the steps see it, for specifying them. */
final class Sessions {

    private Sessions() {
    }

    /** Session 7 in namespace "spark-jobs" on image "spark:3.5.6", its driver on ports 40010 and 40011. */
    static ClusterSession one() {
        return new ClusterSession(7, "spark-jobs", "spark:3.5.6", 40010, 40011);
    }
}
