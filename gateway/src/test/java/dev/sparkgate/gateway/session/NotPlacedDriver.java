package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.placement.DriverLaunch;
import dev.sparkgate.gateway.placement.ExecutorImage;
import dev.sparkgate.gateway.placement.PlacedDriver;
import dev.sparkgate.protocol.SessionView.ExecutorView;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A driver that is never launched, for specifying the session core without a JVM. */
final class NotPlacedDriver implements PlacedDriver {

    @Override
    public Map<String, String> sparkConf() {
        return Map.of();
    }

    @Override
    public Optional<ExecutorImage> executorImage() {
        return Optional.empty();
    }

    @Override
    public void launch(DriverLaunch launch) {
        throw new AssertionError("no driver is launched in these tests");
    }

    @Override
    public void stop(Duration grace) {
    }

    @Override
    public List<ExecutorView> executors() {
        return List.of();
    }

    @Override
    public void release() {
    }
}
