package dev.tributary.cli;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelVersion;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The versions of one model, newest first. */
@Command(name = "versions", mixinStandardHelpOptions = true, versionProvider = Tributary.Version.class, description = "List the versions of a model, newest first.")
public final class ModelsVersionsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
  String name;

  @Option(names = "--limit", paramLabel = "N", description = "Show only the newest N versions.")
  Integer limit;

  @Mixin
  KafkaOptions kafka;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ModelRegistry registry = Registries.open(kafka)) {
      NavigableMap<Long, ModelVersion> versions = registry.versions(name);
      if (versions.isEmpty()) {
        throw Registries.unknownModel(name);
      }
      Map<String, Long> aliases = registry.view().aliases(name);
      Table table = new Table("VERSION", "EXAMPLES", "METRICS", "ALIASES", "CREATED");
      int shown = 0;
      for (ModelVersion v : versions.descendingMap().values()) {
        if (limit != null && shown++ >= limit) {
          break;
        }
        table.row(v.getVersion(), Metrics.count(v.getExamplesSeen()), Metrics.all(v.getMetrics()),
            aliasesOf(aliases, v.getVersion()), TIME.format(Instant.ofEpochMilli(v.getCreatedAt())));
      }
      out.println(table);
    }
    return 0;
  }

  private static String aliasesOf(Map<String, Long> aliases, long version) {
    List<String> names = new ArrayList<>();
    aliases.forEach((alias, v) -> {
      if (v == version) {
        names.add(alias);
      }
    });
    names.sort(null);
    return String.join(",", names);
  }
}
