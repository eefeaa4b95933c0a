package dev.tributary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/** What a bench run leaves behind, removed: its topics and consumer groups (by prefix) and its state directory. */
final class BenchCleanup {
    private BenchCleanup() {}

    /** Deletes the run's topics (its own and its applications' internal ones) and consumer groups. */
    static void deleteRun(Admin admin, String prefix, Consumer<String> progress) {
        try {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix))
                    .collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            }
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId())
                    .filter(g -> g.startsWith(prefix))
                    .toList();
            int deleted = 0;
            List<String> left = new ArrayList<>();
            for (var e : admin.deleteConsumerGroups(groups).deletedGroups().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                    deleted++;
                } catch (java.util.concurrent.ExecutionException notDeleted) {
                    left.add(e.getKey() + " (" + notDeleted.getCause().getMessage() + ")");
                }
            }
            progress.accept("deleted the run's " + topics.size() + " topics and " + deleted + " consumer groups"
                    + (left.isEmpty() ? "" : "; left " + left));
        } catch (Exception e) {
            progress.accept("could not delete the run's topics (prefix " + prefix + "): " + e.getMessage());
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort
        }
    }
}
