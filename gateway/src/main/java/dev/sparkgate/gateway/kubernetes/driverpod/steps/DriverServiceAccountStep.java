package dev.sparkgate.gateway.kubernetes.driverpod.steps;

import dev.sparkgate.gateway.kubernetes.RequiredPermission;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The driver's own identity: a service account that may manage its executors and nothing more, whose token is the
 * only one the pod gets (the gateway's account is never a driver's). Its token is mounted, since the driver's
 * Spark asks the API server for executors with it; and the driver is told what that account must be allowed
 * ({@link #PERMISSIONS_ENV}, {@code verb resource} pairs), which it checks before Spark starts. The account is the
 * session's {@value #ACCOUNT_CONF} where its placement set one (the operator's template for its user or group), else
 * every driver's.
 *
 * @param serviceAccount the drivers' service account ({@code SPARKGATE_DRIVER_SERVICE_ACCOUNT})
 * @param required       what that account must be allowed in the driver's namespace
 */
public record DriverServiceAccountStep(String serviceAccount, List<RequiredPermission> required) implements DriverPodStep {

    public static final String PERMISSIONS_ENV = "SPARKGATE_DRIVER_PERMISSIONS";
    /** Spark's conf for the driver's account, which the placement sets (users may not: ConfPolicy). */
    public static final String ACCOUNT_CONF = "spark.kubernetes.authenticate.driver.serviceAccountName";

    @Override
    public Pod configure(Pod pod, DriverPodSession session) {
        String permissions = required.stream().map(p -> p.verb() + " " + p.resourceName()).collect(Collectors.joining(","));
        Pod withAccount = new PodBuilder(pod).editSpec().withServiceAccountName(session.conf(ACCOUNT_CONF, serviceAccount))
                .withAutomountServiceAccountToken(true).endSpec().build();
        return DriverPods.withDriver(withAccount, c -> c.addToEnv(DriverPods.env(PERMISSIONS_ENV, permissions)));
    }
}
