package dev.sparkgate.gateway.kubernetes.driverpod;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the operator has drivers placed in pods of their own, from the environment.
 *
 * @param sparkgateImage  the Sparkgate image, whose driver runtime an init container copies into each driver pod
 *                        ({@code SPARKGATE_IMAGE})
 * @param driverImage     the image drivers run instead of the session's executor image, or null
 *                        ({@code SPARKGATE_DRIVER_IMAGE})
 * @param linkUrl         where drivers dial the gateway, a Service's address ({@code SPARKGATE_LINK_URL}), or null
 *                        for the gateway's own address (right where pods and gateway share one, as in the emulation)
 * @param serviceAccount  the drivers' own service account ({@code SPARKGATE_DRIVER_SERVICE_ACCOUNT})
 * @param portsPerSession each session's driver takes two ports of {@code SPARKGATE_DRIVER_PORTS} instead of Spark's
 *                        fixed ones, for clusters whose pods share one address ({@code SPARKGATE_DRIVER_POD_PORTS=per-session})
 * @param limits          the most a session may ask for its driver
 * @param linkTimeouts    how long a driver dials and waits for a gateway, as the operator set them
 *                        ({@code SPARKGATE_DRIVER_CONNECT_TIMEOUT}, {@code SPARKGATE_DRIVER_ORPHAN_TIMEOUT}; unset ones
 *                        are left out, so the driver's defaults apply)
 * @param templates       the namespace and service account by user or group, when the operator sets templates
 */
public record DriverPodSettings(String sparkgateImage, String driverImage, URI linkUrl, String serviceAccount,
                                boolean portsPerSession, DriverLimits limits, Map<String, String> linkTimeouts,
                                PlacementTemplates templates) {

    /** The operator's settings a driver pod gets as they are, as a local driver inherits them. */
    static final List<String> LINK_TIMEOUTS =
            List.of("SPARKGATE_DRIVER_CONNECT_TIMEOUT", "SPARKGATE_DRIVER_ORPHAN_TIMEOUT");

    public static final String DEFAULT_SERVICE_ACCOUNT = "sparkgate-driver";

    public static DriverPodSettings fromEnvironment(Map<String, String> env) {
        String image = blankToNull(env.get("SPARKGATE_IMAGE"));
        if (image == null) {
            throw new IllegalArgumentException("SPARKGATE_PLACEMENT is pod, but SPARKGATE_IMAGE is not set: name the "
                    + "Sparkgate image (the one the gateway runs), whose driver runtime each driver pod copies in.");
        }
        String ports = env.getOrDefault("SPARKGATE_DRIVER_POD_PORTS", "fixed");
        boolean perSession = switch (ports) {
            case "fixed" -> false;
            case "per-session" -> true;
            default -> throw new IllegalArgumentException("SPARKGATE_DRIVER_POD_PORTS is '" + ports + "': use fixed "
                    + "(each pod has its own IP) or per-session (pods share one address).");
        };
        String link = blankToNull(env.get("SPARKGATE_LINK_URL"));
        return new DriverPodSettings(image, blankToNull(env.get("SPARKGATE_DRIVER_IMAGE")),
                link == null ? null : URI.create(link),
                env.getOrDefault("SPARKGATE_DRIVER_SERVICE_ACCOUNT", DEFAULT_SERVICE_ACCOUNT), perSession,
                DriverLimits.fromEnvironment(env), linkTimeouts(env), PlacementTemplates.fromEnvironment(env));
    }

    private static Map<String, String> linkTimeouts(Map<String, String> env) {
        Map<String, String> timeouts = new LinkedHashMap<>();
        LINK_TIMEOUTS.forEach(name -> {
            if (blankToNull(env.get(name)) != null) {
                timeouts.put(name, env.get(name).trim());
            }
        });
        return Map.copyOf(timeouts);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
