package dev.sparkgate.bridge.jupyter;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Jupyter tells a kernel it launches ({@code {connection_file}} in the kernelspec's argv): where to bind its
 * five sockets and how to sign messages.
 */
record ConnectionFile(String transport, String ip,
                      @JsonProperty("shell_port") int shellPort,
                      @JsonProperty("iopub_port") int iopubPort,
                      @JsonProperty("stdin_port") int stdinPort,
                      @JsonProperty("control_port") int controlPort,
                      @JsonProperty("hb_port") int hbPort,
                      String key,
                      @JsonProperty("signature_scheme") String signatureScheme,
                      @JsonProperty("kernel_name") String kernelName) {

    static ConnectionFile read(Path path) {
        ConnectionFile file;
        try {
            file = Json.MAPPER.readValue(Files.readString(path), ConnectionFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the connection file " + path + ": " + e.getMessage(), e);
        }
        if (file.transport() != null && !file.transport().equals("tcp")) {
            throw new IllegalArgumentException("The connection file asks for transport '" + file.transport()
                    + "'; this kernel binds tcp only. Start Jupyter with --transport=tcp (the default).");
        }
        return file;
    }

    /** The ZeroMQ address of one of the kernel's ports. */
    String address(int port) {
        String host = ip == null || ip.isBlank() || ip.equals("0.0.0.0") ? "*" : ip;
        return "tcp://" + host + ":" + port;
    }
}
