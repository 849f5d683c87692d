package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.Kernel;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The Jupyter kernel process, as a Sparkgate kernelspec launches it:
 * {@code java -cp ... dev.sparkgate.bridge.jupyter.KernelMain {connection_file}}, configured by the kernelspec's
 * {@code env} ({@link KernelConfig}). It binds the connection file's sockets, connects to the gateway in the
 * background, and runs until a client asks it to shut down or Jupyter stops it.
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // One line per log record, on stderr, which Jupyter shows in its own log.
        System.setProperty("java.util.logging.SimpleFormatter.format", "[sparkgate-kernel %4$s] %5$s%6$s%n");
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it as {connection_file})");
            System.exit(2);
        }
        ConnectionFile connection = ConnectionFile.read(Path.of(args[0]));
        KernelConfig config = KernelConfig.fromEnvironment(System.getenv());

        RemoteSession session = new RemoteSession(config);
        CompletableFuture<Void> sessionReady = session.ready(); // the session starts while Jupyter connects
        ZmqChannels channels = new ZmqChannels(connection);
        Thread coldPath = new Thread(() -> ColdPath.warm(
                new WireCodec(new MessageSigner(connection.key(), connection.signatureScheme())), config.spec().kind(),
                sessionReady), "kernel-cold-path");
        coldPath.setDaemon(true);
        coldPath.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Kernel kernel = new Kernel(config.spec(), session, channels::publish, restart -> stopped.countDown(),
                System.getProperty("user.name"));
        Interrupts.onSigint(kernel::interrupt);
        // Jupyter ends a kernel that does not exit after shutdown_request with SIGTERM: clean up then too.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(kernel, channels, session), "kernel-shutdown"));

        channels.serve(kernel);
        stopped.await();
        System.exit(0);
    }

    private static void stop(Kernel kernel, ZmqChannels channels, RemoteSession session) {
        kernel.close();
        channels.close();
        session.close();
    }
}
