package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    static final String SCRAPE = """
      # HELP tributary_invocations_total Events the score function handled
      # TYPE tributary_invocations_total counter
      tributary_invocations_total{function="fraud-fn",instance="a"} 100.0
      tributary_events_scored_total{function="fraud-fn",instance="a"} 90.0
      tributary_errors_total{function="fraud-fn",instance="a"} 10.0
      tributary_score_duration_seconds_bucket{function="fraud-fn",le="0.001"} 50.0
      tributary_score_duration_seconds_bucket{function="fraud-fn",le="0.002"} 100.0
      tributary_score_duration_seconds_bucket{function="fraud-fn",le="+Inf"} 100.0
      odd_label{path="a \\"quoted\\" \\\\ value"} 1
      not a sample
      """;

    @Test
    void readsNamesLabelsAndValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(SCRAPE);

        assertThat(samples).hasSize(7);
        assertThat(samples.get(0).name()).isEqualTo("tributary_invocations_total");
        assertThat(samples.get(0).label("function")).isEqualTo("fraud-fn");
        assertThat(samples.get(0).value()).isEqualTo(100.0);
        assertThat(samples.get(5).value()).isEqualTo(100.0);
        assertThat(samples.get(6).label("path")).isEqualTo("a \"quoted\" \\ value");
    }

    @Test
    void quantilesInterpolateWithinTheBucket() {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        buckets.put(0.001, 50.0);
        buckets.put(0.002, 100.0);
        buckets.put(Double.POSITIVE_INFINITY, 100.0);

        assertThat(PrometheusText.quantile(0.5, buckets)).isCloseTo(0.001, within(1e-12));
        assertThat(PrometheusText.quantile(0.99, buckets)).isCloseTo(0.00198, within(1e-9));
        assertThat(PrometheusText.quantile(0.5, new TreeMap<>())).isNaN();
    }

    @Test
    void ratesComeFromTwoScrapes() {
        InstanceMetrics metrics = new InstanceMetrics(List.of());
        metrics.functions("http://a", PrometheusText.parse(SCRAPE), 0);
        String later = SCRAPE.replace("} 100.0\ntributary_events", "} 300.0\ntributary_events")
                .replace("} 90.0", "} 250.0");

        ObjectNode row = metrics.functions("http://a", PrometheusText.parse(later), 2_000_000_000L)
                .get(0);

        assertThat(row.get("function").asText()).isEqualTo("fraud-fn");
        assertThat(row.get("inPerSecond").asDouble()).isEqualTo(100.0);
        assertThat(row.get("outPerSecond").asDouble()).isEqualTo(80.0);
        assertThat(row.get("p50Ms").asDouble()).isCloseTo(1.0, within(1e-9));
    }
}
