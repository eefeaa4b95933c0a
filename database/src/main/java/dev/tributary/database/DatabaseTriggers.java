package dev.tributary.database;

import dev.tributary.functions.spec.DatabaseTrigger;
import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.functions.spec.FunctionSpecs;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The database side of {@code run --functions FILE}: for each function a table triggers, its topics,
 * its {@link ChangeCapture} and, with a sink, its {@link PredictionSink}. Started before the functions,
 * closed after them.
 */
public final class DatabaseTriggers implements AutoCloseable {
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<ChangeCapture> captures = new ArrayList<>();

    private DatabaseTriggers() {}

    /**
     * @param partitions partitions of each function's change topic (and its feedback topic) if missing
     * @param onFailure told when a capture that started stops for good
     * @throws DatabaseException with what to set, when a database cannot be used (nothing is left running)
     */
    public static DatabaseTriggers start(
            FunctionSpecs file,
            Map<String, Object> clientProps,
            Topics topics,
            int partitions,
            UnaryOperator<String> env,
            Consumer<DatabaseException> onFailure) {
        DatabaseTriggers triggers = new DatabaseTriggers();
        if (file.databases().isEmpty()) {
            return triggers;
        }
        try {
            List<NewTopic> wanted = new ArrayList<>(List.of(CaptureOffsets.topic()));
            file.databases().forEach((f, db) -> {
                wanted.add(new NewTopic(DatabaseTrigger.topic(f), partitions, (short) -1));
                wanted.add(new NewTopic(Topics.feedbackOf(DatabaseTrigger.topic(f)), partitions, (short) -1));
                String failures = db.delivery().onFailureTopic();
                if (failures != null && wanted.stream().noneMatch(t -> t.name().equals(failures))) {
                    wanted.add(new NewTopic(failures, 1, (short) -1));
                }
            });
            try (Admin admin = Admin.create(clientProps)) {
                Topics.create(admin, wanted);
            }
            RegistryFollower registry =
                    new RegistryFollower(clientProps, topics.models(), RegistryView.forServing()).start();
            triggers.running.add(registry);
            registry.awaitCaughtUp(Duration.ofSeconds(30));
            for (FunctionSpec f : file.functions()) {
                DatabaseTrigger db = file.databases().get(f.name());
                if (db == null) {
                    continue;
                }
                Postgres postgres = new Postgres(db, env, f.name());
                ChangeCapture capture = ChangeCapture.start(
                        f.name(),
                        db,
                        postgres,
                        key -> new RowMapper(
                                db, key, model -> registry.view().spec(model).orElse(null)),
                        clientProps,
                        topics,
                        onFailure);
                triggers.running.add(capture);
                triggers.captures.add(capture);
                if (db.sinkTable() != null) {
                    triggers.running.add(PredictionSink.start(
                            f.name(), db.sinkTable(), postgres, f.output(), f.applicationId(), clientProps));
                }
            }
            return triggers;
        } catch (RuntimeException e) {
            triggers.close();
            throw e;
        }
    }

    public List<ChangeCapture> captures() {
        return List.copyOf(captures);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                // the others still close
            }
        }
        running.clear();
    }
}
