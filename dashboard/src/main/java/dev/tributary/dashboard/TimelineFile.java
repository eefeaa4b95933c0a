package dev.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.autoscale.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The autoscaler's timeline CSV ({@link Timeline}): instances and lag over time, down-sampled. */
final class TimelineFile {
    static final int MAX_POINTS = 400;

    private final Path file;

    TimelineFile(Path file) {
        this.file = file;
    }

    /** {@code timeline}: {file, points: [{elapsedSeconds, instances, lag}]} or {file, problem}. */
    ObjectNode json() {
        ObjectNode json = ModelsJson.object();
        json.put("file", file.toString());
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            json.put("problem", "no such file (yet): " + file);
            return json;
        } catch (IOException e) {
            json.put("problem", "cannot read " + file + ": " + e.getMessage());
            return json;
        }
        if (lines.isEmpty() || !lines.get(0).equals(Timeline.HEADER)) {
            json.put(
                    "problem", file + " is not an autoscaler timeline (its first line is not " + Timeline.HEADER + ")");
            return json;
        }
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            try {
                rows.add(new double[] {
                    Double.parseDouble(cells[0]),
                    Double.parseDouble(cells[1]),
                    cells.length > 2 && !cells[2].isEmpty() ? Double.parseDouble(cells[2]) : Double.NaN
                });
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // a row being written
            }
        }
        double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] instances = rows.stream().mapToDouble(r -> r[1]).toArray();
        ArrayNode points = json.putArray("points");
        for (int i : Downsampling.pick(x, instances, MAX_POINTS, Set.of())) {
            ObjectNode p = points.addObject();
            p.put("elapsedSeconds", rows.get(i)[0]);
            p.put("instances", rows.get(i)[1]);
            ModelsJson.putNumber(p, "lag", rows.get(i)[2]);
        }
        return json;
    }
}
