package dev.sparkgate.gateway.errors;

/**
 * A session asked for a Spark conf that its operator keeps (the master, the namespace, the driver pod's image,
 * volumes and secrets ...): bad input, whoever sends it, so a 400 as Livy gives for its blacklisted confs. The
 * message names the conf and the operator setting that would allow it.
 */
public final class ConfNotAllowed extends GatewayError {

    private final String conf;

    public ConfNotAllowed(String conf, String message) {
        super(message);
        this.conf = conf;
    }

    public String conf() {
        return conf;
    }
}
