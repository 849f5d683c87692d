package dev.sparkgate.gateway.jupyter;

import dev.sparkgate.gateway.auth.AccessGuard;
import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.identity.SessionAccess;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.livy.RequestBody;
import dev.sparkgate.gateway.session.SessionManager;
import dev.sparkgate.jupyter.KernelSpec;
import dev.sparkgate.gateway.api.ApiRoutes;
import dev.sparkgate.gateway.api.Operation;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jupyter's Kernel Gateway API, so that {@code jupyter server --gateway-url=...} (and JupyterLab on it) runs its
 * kernels here: kernelspecs, kernels (a kernel is a Sparkgate session), and each kernel's channels WebSocket.
 * Errors have Jupyter's shape, {@code {"message", "reason"}}. Each caller sees and drives only their kernels
 * ({@link SessionAccess}): another's is 403.
 */
public final class JupyterRoutes {

    private final GatewayKernels kernels;
    private final KernelChannelsEndpoint channels;

    /** @param clientBacklogBytes how much a channels client may leave unread before it is cut off */
    public JupyterRoutes(SessionManager sessions, SessionAccess access, long clientBacklogBytes) {
        this.kernels = new GatewayKernels(sessions, access);
        this.channels = new KernelChannelsEndpoint(kernels, clientBacklogBytes);
    }

    public void register(Javalin app, ApiRoutes api) {
        api.get("/api/kernelspecs", jupyter("The kernel specs: PySpark, Scala and SQL on Sparkgate")
                .returns("KernelSpecs"), jupyter(this::listKernelSpecs));
        api.get("/api/kernelspecs/{name}", jupyter("One kernel spec").returns("KernelSpec"),
                jupyter(ctx -> ctx.json(kernelSpecModel(kernelSpec(ctx)))));
        api.get("/kernelspecs/{name}/{resource}", jupyter("A kernel spec's resource (its logo)")
                .produces("image/png"), jupyter(this::kernelSpecResource));
        api.get("/api/kernels", jupyter("Running kernels").returns("KernelList"),
                jupyter(ctx -> ctx.json(kernels.list(AccessGuard.user(ctx)).stream().map(GatewayKernel::model).toList())));
        api.post("/api/kernels", jupyter("Start a kernel: a new Sparkgate session").request("StartKernel")
                .returns(201, "Kernel"), jupyter(this::startKernel));
        api.get("/api/kernels/{kernel_id}", jupyter("One kernel").returns("Kernel"),
                jupyter(ctx -> ctx.json(kernel(ctx, false, "see").model())));
        api.delete("/api/kernels/{kernel_id}", jupyter("Shut a kernel down, deleting its session").returns(204, null),
                jupyter(this::deleteKernel));
        api.post("/api/kernels/{kernel_id}/interrupt", jupyter("Interrupt: cancel the running cell")
                .returns(204, null), jupyter(this::interruptKernel));
        api.post("/api/kernels/{kernel_id}/restart", jupyter("Restart: replace the session with a fresh one")
                .returns("Kernel"), jupyter(this::restartKernel));
        api.webSocket(KernelChannelsEndpoint.PATH, jupyter("A kernel's channels: Jupyter's messages over one socket"));
        app.wsBeforeUpgrade(KernelChannelsEndpoint.PATH, channels::beforeUpgrade);
        app.ws(KernelChannelsEndpoint.PATH, channels::configure);
    }

    private static Operation jupyter(String summary) {
        return Operation.of("jupyter", summary);
    }

    private void listKernelSpecs(Context ctx) {
        Map<String, Object> specs = new LinkedHashMap<>();
        KernelSpec.ALL.forEach(spec -> specs.put(spec.name(), kernelSpecModel(spec)));
        ctx.json(Map.of("default", KernelSpec.DEFAULT.name(), "kernelspecs", specs));
    }

    private void kernelSpecResource(Context ctx) {
        kernelSpec(ctx);
        if (!ctx.pathParam("resource").equals("logo-svg.svg")) {
            throw new NotFound("Kernelspec " + ctx.pathParam("name") + " has no resource '"
                    + ctx.pathParam("resource") + "'; it has logo-svg.svg.");
        }
        ctx.contentType("image/svg+xml").result(KernelSpec.LOGO_SVG);
    }

    private void startKernel(Context ctx) {
        RequestBody body = RequestBody.parse(ctx.body());
        String name = body.string("name");
        KernelSpec spec = name == null || name.isBlank() ? KernelSpec.DEFAULT : KernelSpec.named(name)
                .orElseThrow(() -> unknownKernelSpec(name));
        GatewayKernel kernel = kernels.start(spec, body.stringMap("env"), AccessGuard.user(ctx));
        ctx.status(201).header("Location", "/api/kernels/" + kernel.id()).json(kernel.model());
    }

    private void deleteKernel(Context ctx) {
        kernels.delete(ctx.pathParam("kernel_id"), AccessGuard.user(ctx));
        ctx.status(204);
    }

    private void interruptKernel(Context ctx) {
        kernel(ctx, true, "interrupt").interrupt();
        ctx.status(204);
    }

    private void restartKernel(Context ctx) {
        GatewayKernel kernel = kernel(ctx, true, "restart");
        kernel.restart();
        ctx.json(kernel.model());
    }

    private GatewayKernel kernel(Context ctx, boolean modify, String action) {
        return kernels.get(ctx.pathParam("kernel_id"), AccessGuard.user(ctx), modify, action);
    }

    private static KernelSpec kernelSpec(Context ctx) {
        String name = ctx.pathParam("name");
        return KernelSpec.named(name).orElseThrow(() -> unknownKernelSpec(name));
    }

    private static NotFound unknownKernelSpec(String name) {
        return new NotFound("No kernelspec named '" + name + "': this gateway offers "
                + String.join(", ", KernelSpec.ALL.stream().map(KernelSpec::name).toList()) + ".");
    }

    /** The model Jupyter Server passes through as it is: in the gateway the kernel runs in process, so no argv. */
    private static Map<String, Object> kernelSpecModel(KernelSpec spec) {
        return Map.of("name", spec.name(),
                "spec", spec.kernelJson(List.of(), Map.of()),
                "resources", Map.of("logo-svg", "/kernelspecs/" + spec.name() + "/logo-svg.svg"));
    }

    /** Renders refusals as Jupyter's clients read them. */
    private static Handler jupyter(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (GatewayError e) {
                JupyterErrors.render(e, ctx);
            }
        };
    }
}
