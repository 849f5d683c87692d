package dev.sparkgate.gateway.driver;

import dev.sparkgate.protocol.DriverCommand;

/** The gateway's end of the link a session's driver dialled. Sending must not block. */
public interface DriverLink {

    void send(DriverCommand command);

    void close();
}
