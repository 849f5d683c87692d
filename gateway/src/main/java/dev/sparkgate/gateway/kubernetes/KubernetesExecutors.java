package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.kubernetes.steps.ClusterSession;
import dev.sparkgate.gateway.placement.ExecutorImage;
import dev.sparkgate.gateway.placement.ExecutorPlacement;
import dev.sparkgate.protocol.SessionView.ExecutorView;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One session's executor pods: the confs that put them on the cluster, the pods as they are, their cleanup. */
record KubernetesExecutors(KubernetesCluster cluster, ClusterSession session, DriverPorts.Pair ports,
                           Map<String, String> sparkConf, Map<String, String> driverEnvironment)
        implements ExecutorPlacement {

    @Override
    public Optional<ExecutorImage> image() {
        return Optional.of(new ExecutorImage(session.image(), session.namespace()));
    }

    @Override
    public List<ExecutorView> executors() {
        return cluster.executors(session);
    }

    @Override
    public void release() {
        cluster.release(session, ports);
    }
}
