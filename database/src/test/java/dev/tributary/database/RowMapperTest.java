package dev.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.database.PgOutput.Change;
import dev.tributary.database.PgOutput.Operation;
import dev.tributary.functions.spec.DatabaseTrigger;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapperTest {
    static final DatabaseTrigger TRIGGER = new DatabaseTrigger(
            "jdbc:postgresql://h/db",
            "u",
            null,
            "public.houses",
            "houses",
            null,
            "sold",
            DatabaseTrigger.StartFrom.SNAPSHOT,
            null,
            DatabaseTrigger.Delivery.DEFAULTS);
    static final ModelSpec SPEC = ModelSpec.newBuilder()
            .setName("houses")
            .setAlgorithm(Algorithm.LOGISTIC_REGRESSION)
            .setFeatures(List.of("sqft", "rooms"))
            .setCategoricalFeatures(List.of("city"))
            .setLearningRate(0.1)
            .setPublishEvery(100)
            .setPublishIntervalMs(1000)
            .setCreatedAt(0)
            .build();

    final RowMapper mapper = new RowMapper(TRIGGER, List.of("id"), model -> model.equals("houses") ? SPEC : null);

    static Map<String, String> row(String id, String sqft, String rooms, String sold) {
        Map<String, String> row = new HashMap<>();
        row.put("id", id);
        row.put("sqft", sqft);
        row.put("rooms", rooms);
        row.put("city", "Oslo");
        row.put("note", "ignored");
        row.put("sold", sold);
        return row;
    }

    static Change insert(Map<String, String> row) {
        return new Change(Operation.INSERT, "public.houses", row, Map.of());
    }

    static Change update(Map<String, String> old, Map<String, String> row) {
        return new Change(Operation.UPDATE, "public.houses", row, old);
    }

    static String json(RowMapper.Outcome o) {
        return new String(((RowMapper.Emit) o).json(), StandardCharsets.UTF_8);
    }

    @Test
    void anInsertIsAnEventOfTheModelsColumnsWithItsKeyAsId() {
        RowMapper.Outcome o = mapper.map(insert(row("17", "80.5", "3", null)));
        assertThat(((RowMapper.Emit) o).id()).isEqualTo("17");
        assertThat(json(o))
                .isEqualTo("{\"id\":\"17\",\"model\":\"houses\",\"features\":{\"sqft\":80.5,\"rooms\":3.0},"
                        + "\"categories\":{\"city\":\"Oslo\"}}");
        assertThat(json(mapper.map(insert(row("18", "1", "2", "t"))))).endsWith(",\"label\":1.0}");
    }

    @Test
    void anUpdateThatSetsTheLabelIsFeedback() {
        RowMapper.Outcome o = mapper.map(update(row("17", "80.5", "3", null), row("17", "80.5", "3", "1")));
        assertThat(o).isEqualTo(new RowMapper.Feedback("17", "houses", 1.0));
    }

    @Test
    void anUpdateOfAFeatureScoresTheRowAgain() {
        RowMapper.Outcome o = mapper.map(update(row("17", "80.5", "3", null), row("17", "90", "3", null)));
        assertThat(json(o)).contains("\"sqft\":90.0");
    }

    @Test
    void otherUpdatesAndDeletesAreIgnored() {
        Map<String, String> before = row("17", "80.5", "3", "1");
        Map<String, String> after = new HashMap<>(before);
        after.put("note", "repainted");
        assertThat(mapper.map(update(before, after))).isEqualTo(new RowMapper.Ignored("unchanged"));
        assertThat(mapper.map(update(before, row("17", "80.5", "3", null))))
                .as("label cleared")
                .isEqualTo(new RowMapper.Ignored("unchanged"));
        assertThat(mapper.map(new Change(Operation.DELETE, "public.houses", before, before)))
                .isEqualTo(new RowMapper.Ignored("delete"));
    }

    @Test
    void unusableRowsAreDeadLettersWithTableKeyAndReason() {
        assertThat(mapper.map(insert(row("5", null, "3", null))))
                .isEqualTo(new RowMapper.DeadLetter(
                        "5", "BAD_FEATURES", "table public.houses, key 5: feature column 'sqft' is NULL"));
        assertThat(mapper.map(insert(row("6", "big", "3", null))))
                .isEqualTo(new RowMapper.DeadLetter(
                        "6",
                        "BAD_FEATURES",
                        "table public.houses, key 6: feature column 'sqft' is not a number: 'big'"));
        assertThat(mapper.map(insert(row("7", "1", "3", "2"))))
                .isEqualTo(new RowMapper.DeadLetter(
                        "7",
                        "BAD_LABEL",
                        "table public.houses, key 7: label column 'sold' is 2: a classifier's label is 0 or 1"));
        assertThat(mapper.map(update(row("8", "1", "3", null), row("8", "1", "3", "0.5"))))
                .isEqualTo(new RowMapper.DeadLetter(
                        "8",
                        "BAD_LABEL",
                        "table public.houses, key 8: label column 'sold' is 0.5: a classifier's label is 0 or 1"));
    }

    @Test
    void aModelColumnNamesEachRowsModel() {
        DatabaseTrigger perRow = new DatabaseTrigger(
                "jdbc:postgresql://h/db",
                "u",
                null,
                "public.houses",
                null,
                "kind",
                null,
                DatabaseTrigger.StartFrom.SNAPSHOT,
                null,
                DatabaseTrigger.Delivery.DEFAULTS);
        RowMapper m = new RowMapper(perRow, List.of("id", "region"), model -> model.equals("houses") ? SPEC : null);
        Map<String, String> row = row("3", "1", "2", null);
        row.put("region", "north");
        row.put("kind", "flats");
        assertThat(m.map(insert(row)))
                .isEqualTo(new RowMapper.DeadLetter(
                        "3,north",
                        "UNKNOWN_MODEL",
                        "table public.houses, key 3,north: no model 'flats' in the registry"));
        row.put("kind", "houses");
        assertThat(((RowMapper.Emit) m.map(insert(row))).id())
                .as("a composite key joined by commas")
                .isEqualTo("3,north");
    }
}
