package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.runtime.InstanceServer;
import dev.tributary.schema.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * deploy/k8s cannot be applied on the build machines (no cluster), so this test holds it to the
 * CLI: the Deployment's arguments parse as {@code tributary run}, its probes and Prometheus
 * annotations point at the endpoints the instance serves, and the KEDA ScaledObject applies the
 * policy of {@code tributary autoscale} with its default flags.
 */
class KubernetesManifestsTest {
    static final Path K8S = ComposeFileTest.ROOT.resolve("deploy/k8s");

    static JsonNode deployment;
    static JsonNode container;
    static ParseResult run;
    static JsonNode scaledObject;
    static JsonNode trigger;
    static CommandSpec autoscale;

    @BeforeAll
    static void readManifests() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        deployment = yaml.readTree(K8S.resolve("deployment.yaml").toFile());
        scaledObject = yaml.readTree(K8S.resolve("scaledobject.yaml").toFile());
        assertThat(deployment.path("kind").asText()).isEqualTo("Deployment");
        assertThat(scaledObject.path("kind").asText()).isEqualTo("ScaledObject");
        JsonNode containers =
                deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).as("containers of the Deployment").isEqualTo(1);
        container = containers.get(0);
        run = ComposeFileTest.leaf(CliRun.tree().parseArgs(args(container).toArray(String[]::new)));
        trigger = trigger("kafka");
        autoscale = CliRun.tree().getSubcommands().get("autoscale").getCommandSpec();
    }

    @Test
    void theDeploymentRunsTheFunctionsFromTheProjectImage() {
        assertThat(run.commandSpec().qualifiedName()).isEqualTo("tributary run");
        assertThat(container.path("image").asText()).startsWith("tributary:");
        assertThat(run.matchedOptionValue("--bootstrap-servers", ""))
                .isEqualTo(trigger.path("metadata").path("bootstrapServers").asText());
    }

    @Test
    void probesAndPrometheusPointAtTheInstancesEndpoints() {
        int port = run.matchedOptionValue("--http-port", -1);
        assertThat(port).isEqualTo(RunCommand.DEFAULT_HTTP_PORT);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo(InstanceServer.READY);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo(InstanceServer.HEALTH);
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asInt())
                .isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asInt())
                .isEqualTo(port);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        JsonNode annotations =
                deployment.path("spec").path("template").path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asInt()).isEqualTo(port);
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo(InstanceServer.METRICS);
    }

    @Test
    void kedaScalesTheDeploymentOnTheFunctionsGroupAndTheEventsTopic() {
        JsonNode spec = scaledObject.path("spec");
        assertThat(spec.path("scaleTargetRef").path("name").asText())
                .isEqualTo(deployment.path("metadata").path("name").asText());
        JsonNode kafka = trigger.path("metadata");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(kafka.path("consumerGroup").asText())
                .isEqualTo(run.matchedOptionValue("--application-id", ""))
                .isEqualTo(defaultOf("--application-id"));
        assertThat(kafka.path("topic").asText()).isEqualTo(Topics.defaults().events());
        assertThat(kafka.path("allowIdleConsumers").asText())
                .as("no more replicas than partitions")
                .isEqualTo("false");
        assertThat(kafka.path("offsetResetPolicy").asText())
                .as("Kafka Streams starts a new group at the earliest offset")
                .isEqualTo("earliest");
    }

    @Test
    void kedaAppliesAutoscalesDefaultPolicy() {
        JsonNode spec = scaledObject.path("spec");
        JsonNode kafka = trigger.path("metadata");
        assertThat(kafka.path("lagThreshold").asText()).isEqualTo(defaultOf("--lag-threshold"));
        assertThat(kafka.path("activationLagThreshold").asText()).isEqualTo(defaultOf("--activation-lag-threshold"));
        assertThat(spec.path("minReplicaCount").asText()).isEqualTo(defaultOf("--min"));
        assertThat(spec.path("maxReplicaCount").asText())
                .isEqualTo(defaultOf("--max"))
                .isEqualTo(defaultOf("--partitions"));
        assertThat(spec.path("pollingInterval").asText()).isEqualTo(defaultOf("--poll-interval"));
        assertThat(spec.path("cooldownPeriod").asText()).isEqualTo(defaultOf("--cooldown"));
        JsonNode behavior =
                spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior");
        assertThat(behavior.path("scaleDown").path("stabilizationWindowSeconds").asText())
                .isEqualTo(defaultOf("--cooldown"));
        assertThat(behavior.path("scaleUp").path("stabilizationWindowSeconds").asInt())
                .isZero();
        for (String direction : List.of("scaleUp", "scaleDown")) {
            JsonNode policies = behavior.path(direction).path("policies");
            assertThat(policies.size()).as(direction + " policies").isEqualTo(1);
            assertThat(policies.get(0).path("type").asText()).isEqualTo("Pods");
            assertThat(policies.get(0).path("value").asInt())
                    .as(direction + ": one pod per step")
                    .isEqualTo(1);
        }
        assertThat(behavior.path("scaleUp")
                        .path("policies")
                        .get(0)
                        .path("periodSeconds")
                        .asText())
                .isEqualTo(defaultOf("--poll-interval"));
        assertThat(behavior.path("scaleDown")
                        .path("policies")
                        .get(0)
                        .path("periodSeconds")
                        .asText())
                .isEqualTo(defaultOf("--cooldown"));
    }

    @Test
    void cpuAndMemoryTriggersApplyAutoscalesTargetsToTheResourcesTheDeploymentRequests() {
        assertThat(scaledObject.path("spec").path("triggers").size())
                .as("kafka, cpu and memory")
                .isEqualTo(3);
        JsonNode requests = container.path("resources").path("requests");
        for (String resource : List.of("cpu", "memory")) {
            JsonNode t = trigger(resource);
            assertThat(t.path("metricType").asText())
                    .as(resource + " trigger: a share of the request")
                    .isEqualTo("Utilization");
            assertThat(t.path("metadata").path("value").asText()).isEqualTo(defaultOf("--" + resource + "-target"));
            assertThat(requests.path(resource).asText())
                    .as("the HPA divides by the " + resource + " request")
                    .isNotEmpty();
        }
        assertThat(autoscale.findOption("--policy").completionCandidates())
                .containsExactlyInAnyOrder("lag", "cpu", "memory");
    }

    static JsonNode trigger(String type) {
        for (JsonNode t : scaledObject.path("spec").path("triggers")) {
            if (t.path("type").asText().equals(type)) {
                return t;
            }
        }
        throw new AssertionError("the ScaledObject has no " + type + " trigger");
    }

    static String defaultOf(String option) {
        return autoscale.findOption(option).defaultValue();
    }

    /** The container's args with $(VAR) references to its env expanded, as Kubernetes does. */
    static List<String> args(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        List<String> args = new ArrayList<>();
        for (JsonNode a : container.path("args")) {
            String arg = a.asText();
            for (Map.Entry<String, String> e : env.entrySet()) {
                arg = arg.replace("$(" + e.getKey() + ")", e.getValue());
            }
            assertThat(arg).as("an undefined variable in " + a).doesNotContain("$(");
            args.add(arg);
        }
        return args;
    }
}
