package dev.sparkgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in {@code deploy/grafana/}: it shows sessions, starts, statement latency and driver exits,
 * and every Sparkgate metric it queries is one the gateway exposes (named in {@code GatewayMetrics}), so a renamed
 * metric cannot leave an empty panel behind.
 */
class GrafanaDashboardTest {

    private static final Pattern SPARKGATE_METRIC = Pattern.compile("sparkgate_[a-z_]+");
    private static final Pattern METER_NAME = Pattern.compile("\"(sparkgate\\.[a-z.]+)\"");

    @Test
    void theDashboardQueriesOnlyMetricsTheGatewayExposes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Repository.read("deploy/grafana/sparkgate-dashboard.json"));
        List<String> titles = new ArrayList<>();
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                Matcher m = SPARKGATE_METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }

        assertThat(titles).contains("Sessions by state", "Session start time", "Statement latency (p95) by kind",
                "Driver exits by cause");
        assertThat(queried).isNotEmpty().allSatisfy(metric -> assertThat(exposedPrefixes())
                .as("a meter of GatewayMetrics that %s comes from", metric)
                .anySatisfy(prefix -> assertThat(metric).startsWith(prefix)));
    }

    /** The Prometheus names of GatewayMetrics' meters, before Micrometer's suffixes (_seconds, _total, _bucket). */
    private static Set<String> exposedPrefixes() {
        String source = Repository.read("gateway/src/main/java/dev/sparkgate/gateway/metrics/GatewayMetrics.java");
        Set<String> names = new TreeSet<>();
        Matcher m = METER_NAME.matcher(source);
        while (m.find()) {
            names.add(m.group(1).replace('.', '_'));
        }
        return names;
    }
}
