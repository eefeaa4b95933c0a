package dev.tributary.registry;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka client configuration shared by the registry's clients. */
final class Clients {
  private Clients() {}

  /**
   * The settings an admin client takes from properties written for any client: producer- and
   * consumer-only keys are left out (the admin client would only warn about them); everything else,
   * security settings included, passes through.
   */
  static Map<String, Object> adminConfig(Map<String, Object> clientProperties, String clientIdSuffix) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.keySet().removeIf(k -> !AdminClientConfig.configNames().contains(k)
        && (ProducerConfig.configNames().contains(k) || ConsumerConfig.configNames().contains(k)));
    config.put(AdminClientConfig.CLIENT_ID_CONFIG,
        clientProperties.getOrDefault(AdminClientConfig.CLIENT_ID_CONFIG, "tributary") + "-" + clientIdSuffix);
    return config;
  }
}
