package dev.tributary.schema.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Older writer schemas of each record, kept as resources so readers decode what older writers
 * wrote. {@code dev/tributary/schema/history/index} lists one {@code RecordName file.avsc} per
 * line; each file is a self-contained schema (named types inlined).
 */
final class SchemaHistory {
    private static final String ROOT = "/dev/tributary/schema/history/";

    private SchemaHistory() {}

    static List<Schema> olderSchemas(String recordName) {
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(ROOT + "index")) {
            if (index == null) {
                return schemas;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(recordName)) {
                    try (InputStream file = SchemaHistory.class.getResourceAsStream(ROOT + parts[1])) {
                        if (file == null) {
                            throw new IllegalStateException(
                                    "schema history lists " + parts[1] + " but the resource is missing");
                        }
                        schemas.add(new Schema.Parser().parse(file));
                    }
                }
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history", e);
        }
    }
}
