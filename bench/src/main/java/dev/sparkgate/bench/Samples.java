package dev.sparkgate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The order statistics a results table shows. */
final class Samples {

    private Samples() {
    }

    /** The median (the upper one of an even count, as the other benchmarks report); NaN for no samples. */
    static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static double min(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
