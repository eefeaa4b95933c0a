package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Usage records added up by function, model or instance, with their cost at given prices. */
final class UsageBill {
    /** What rows are grouped by. */
    enum By {
        function(UsageRecord::getFunction),
        model(UsageRecord::getModel),
        instance(UsageRecord::getInstance);

        final Function<UsageRecord, String> of;

        By(Function<UsageRecord, String> of) {
            this.of = of;
        }
    }

    /**
     * @param perGbSecond price of one GB-second
     * @param perMillion price of one million invocations
     */
    record Prices(double perGbSecond, double perMillion) {
        /** AWS Lambda's public list prices (x86, first tier, USD), as an example. */
        static final Prices EXAMPLE = new Prices(0.0000166667, 0.20);

        double cost(Line line) {
            return line.gbSeconds * perGbSecond + line.invocations / 1e6 * perMillion;
        }
    }

    /** The sums of one row. */
    static final class Line {
        long invocations;
        long errors;
        double cpuMillis;
        double gbSeconds;
        long records;

        void add(UsageRecord r) {
            invocations += r.getInvocations();
            errors += r.getErrors();
            cpuMillis += r.getCpuMillis();
            gbSeconds += r.getGbSeconds();
            records++;
        }

        void add(Line other) {
            invocations += other.invocations;
            errors += other.errors;
            cpuMillis += other.cpuMillis;
            gbSeconds += other.gbSeconds;
            records += other.records;
        }
    }

    private final List<By> by;
    private final Prices prices;
    /** Group key (the values of {@link #by}) → its sums, sorted by key. */
    private final Map<List<String>, Line> lines = new TreeMap<>(UsageBill::compare);

    UsageBill(List<By> by, Prices prices) {
        if (by.isEmpty()) {
            throw new IllegalArgumentException("a bill is grouped by at least one of function, model, instance");
        }
        this.by = List.copyOf(by);
        this.prices = prices;
    }

    void add(UsageRecord r) {
        List<String> key = by.stream().map(b -> b.of.apply(r)).toList();
        lines.computeIfAbsent(key, k -> new Line()).add(r);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    Map<List<String>, Line> lines() {
        return lines;
    }

    Line total() {
        Line total = new Line();
        lines.values().forEach(total::add);
        return total;
    }

    Table table() {
        List<String> header = new ArrayList<>();
        by.forEach(b -> header.add(b.name().toUpperCase(Locale.ROOT)));
        header.addAll(List.of("INVOCATIONS", "ERRORS", "CPU MS", "GB-SECONDS", "COST"));
        Table table = new Table(header.toArray(String[]::new));
        lines.forEach((key, line) -> table.row(cells(key, line)));
        if (lines.size() > 1) {
            List<String> total = new ArrayList<>(List.of("TOTAL"));
            while (total.size() < by.size()) {
                total.add("");
            }
            table.row(cells(total, total()));
        }
        return table;
    }

    private Object[] cells(List<String> key, Line line) {
        List<Object> cells = new ArrayList<>(key);
        cells.add(Metrics.count(line.invocations));
        cells.add(Metrics.count(line.errors));
        cells.add(String.format(Locale.ROOT, "%,.1f", line.cpuMillis));
        cells.add(String.format(Locale.ROOT, "%,.3f", line.gbSeconds));
        cells.add(String.format(Locale.ROOT, "%.6f", prices.cost(line)));
        return cells.toArray();
    }

    ObjectNode json() {
        ObjectNode json = Json.object();
        ArrayNode groups = json.putArray("by");
        by.forEach(b -> groups.add(b.name()));
        ObjectNode p = json.putObject("prices");
        p.put("perGbSecond", prices.perGbSecond());
        p.put("perMillionInvocations", prices.perMillion());
        ArrayNode rows = json.putArray("rows");
        lines.forEach((key, line) -> {
            ObjectNode row = rows.addObject();
            for (int i = 0; i < by.size(); i++) {
                row.put(by.get(i).name(), key.get(i));
            }
            sums(row, line);
        });
        sums(json.putObject("total"), total());
        return json;
    }

    private void sums(ObjectNode node, Line line) {
        node.put("invocations", line.invocations);
        node.put("errors", line.errors);
        node.put("cpuMillis", line.cpuMillis);
        node.put("gbSeconds", line.gbSeconds);
        node.put("cost", prices.cost(line));
        node.put("records", line.records);
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
