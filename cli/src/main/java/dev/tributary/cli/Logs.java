package dev.tributary.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Log levels the CLI changes at run time. */
public final class Logs {
  private Logs() {}

  /** While a command owns the screen: warnings from Tributary, errors from Kafka. */
  public static void quietForScreen() {
    try {
      Configurator.setLevel("dev.tributary", Level.WARN);
      Configurator.setLevel("kafka", Level.ERROR);
      Configurator.setLevel("org.apache.kafka", Level.ERROR);
    } catch (RuntimeException | LinkageError e) {
      // another logging backend: leave its configuration alone
    }
  }
}
