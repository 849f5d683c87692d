package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.ConfNotAllowed;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.NameTaken;
import dev.sparkgate.gateway.errors.NamespaceNotReady;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.errors.StatementNotFound;
import dev.sparkgate.gateway.errors.Unavailable;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.util.Map;

/**
 * The gateway's refusals as the Kernel Gateway API gives them: Jupyter's status codes and its body,
 * {@code {"message", "reason"}}, which Jupyter Server's gateway client shows as it gets it.
 */
final class JupyterErrors {

    private JupyterErrors() {
    }

    static int status(GatewayError error) {
        if (error instanceof BadRequest || error instanceof ConfNotAllowed) {
            return 400;
        } else if (error instanceof NotPermitted) {
            return 403;
        } else if (error instanceof NotFound || error instanceof SessionNotFound || error instanceof StatementNotFound) {
            return 404;
        } else if (error instanceof NameTaken || error instanceof NamespaceNotReady) {
            return 409;
        } else if (error instanceof OverUserLimit) {
            return 429;
        } else if (error instanceof Unavailable || error instanceof OverCapacity) {
            return 503;
        }
        return 500;
    }

    static void render(GatewayError error, Context ctx) {
        int status = status(error);
        if (error instanceof OverCapacity full) {
            ctx.header("Retry-After", String.valueOf(full.retryAfterSeconds()));
        }
        ctx.status(status).json(Map.of("message", error.getMessage(), "reason", reason(status)));
    }

    /** A refusal of a channels WebSocket's upgrade. */
    static HttpResponseException upgradeRefused(GatewayError error) {
        return new HttpResponseException(status(error), error.getMessage());
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
