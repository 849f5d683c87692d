package dev.sparkgate.gateway.livy;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.ConfNotAllowed;
import dev.sparkgate.gateway.errors.DriverGone;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.errors.ImageNotDeclared;
import dev.sparkgate.gateway.errors.ImageProbeFailed;
import dev.sparkgate.gateway.errors.ImageProbeTimedOut;
import dev.sparkgate.gateway.errors.NameTaken;
import dev.sparkgate.gateway.errors.NamespaceNotReady;
import dev.sparkgate.gateway.errors.NoAnswer;
import dev.sparkgate.gateway.errors.NoSparkUi;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.errors.NotPermitted;
import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import dev.sparkgate.gateway.errors.PayloadTooLarge;
import dev.sparkgate.gateway.errors.SessionEnded;
import dev.sparkgate.gateway.errors.SessionNotActive;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.errors.StatementNotFound;
import dev.sparkgate.gateway.errors.Unavailable;
import io.javalin.http.Context;

import java.util.Map;

/**
 * The gateway's refusals as Livy's API gives them: its status codes and its body, {@code {"msg": "..."}}. Livy's
 * clients read the statuses closely: sparkmagic and Zeppelin's Livy interpreter take a 404 for a session that is
 * gone, and Zeppelin takes a 5xx saying "Session is in state" for a dead session (and restarts it when
 * {@code zeppelin.livy.restart_dead_session} is on), while any 4xx it shows as a bare error. The gateway's other
 * JSON routes ({@code /versions}, the page's) answer the same way.
 */
public final class LivyErrors {

    private LivyErrors() {
    }

    public static int status(GatewayError error) {
        if (error instanceof BadRequest || error instanceof SessionNotActive || error instanceof ConfNotAllowed) {
            return 400;
        } else if (error instanceof NotPermitted) {
            return 403;
        } else if (error instanceof SessionNotFound || error instanceof StatementNotFound || error instanceof NotFound) {
            return 404;
        } else if (error instanceof NameTaken || error instanceof ImageNotDeclared || error instanceof NoSparkUi
                || error instanceof NamespaceNotReady) {
            return 409;
        } else if (error instanceof PayloadTooLarge) {
            return 413;
        } else if (error instanceof OverUserLimit) {
            return 429;
        } else if (error instanceof SessionEnded) {
            return 500;
        } else if (error instanceof ImageProbeFailed) {
            return 502;
        } else if (error instanceof Unavailable || error instanceof DriverGone || error instanceof OverCapacity) {
            return 503;
        } else if (error instanceof NoAnswer || error instanceof ImageProbeTimedOut) {
            return 504;
        }
        return 500;
    }

    /** Answers {@code ctx} with the refusal. */
    public static void render(GatewayError error, Context ctx) {
        if (error instanceof OverCapacity full) {
            ctx.header("Retry-After", String.valueOf(full.retryAfterSeconds()));
        }
        ctx.status(status(error)).json(Map.of("msg", error.getMessage()));
    }
}
