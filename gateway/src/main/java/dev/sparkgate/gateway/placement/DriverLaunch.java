package dev.sparkgate.gateway.placement;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.protocol.SessionSpec;

import java.util.function.IntConsumer;

/**
 * What a placement needs to start one session's driver.
 *
 * @param spec   the session as the driver runs it (after the version check chose its Python)
 * @param secret the session's secret, which the driver presents when it dials back
 * @param log    where the driver's output and the gateway's notes about it go
 * @param onExit told the driver's exit code once, whenever and however it exits
 *               ({@link dev.sparkgate.gateway.driver.DriverProcess#EXIT_UNKNOWN} when no one can know it)
 * @param record what the session core needs to know the session again after a restart, kept beside the driver by a
 *               placement whose drivers outlive the gateway, and given back by {@link DriverPlacement#findDrivers()}
 */
public record DriverLaunch(SessionSpec spec, String secret, DriverLog log, IntConsumer onExit, String record) {
}
