package dev.tributary.functions.spec;

/**
 * A function triggered by the rows of a PostgreSQL table ({@code trigger: database:} in a function
 * file): its changes are captured into the function's own topic ({@link #topic}), which then
 * triggers it like any other.
 *
 * @param url {@code jdbc:postgresql://HOST:PORT/DATABASE}
 * @param passwordEnv the environment variable holding the password, or null for none
 * @param table {@code schema.table} ({@code public.} when the file gives no schema)
 * @param model the model of every row, or null when {@code modelColumn} names it per row
 * @param label the label column, or null
 * @param sinkTable where predictions are upserted ({@code sink: database: table:}), or null
 * @param delivery how the captured changes are written to Kafka
 */
public record DatabaseTrigger(
        String url,
        String user,
        String passwordEnv,
        String table,
        String model,
        String modelColumn,
        String label,
        StartFrom startFrom,
        String sinkTable,
        Delivery delivery) {

    /**
     * How captured changes reach Kafka: the event-source settings AWS Lambda gives a change stream.
     * There is no bisection on error: rows are mapped one by one, so an unusable row is set aside
     * alone and the rows around it go on.
     *
     * @param batchSize records (events, feedback, dead letters) per Kafka transaction at most; a
     *     database transaction is never split, so one larger than this is written alone
     * @param batchWindow how long changes are gathered, from the first one of a batch, before they are
     *     written (unless the batch is full first); zero: written as soon as nothing more is pending
     * @param retries how many times in a row the capture is started again after a failure (database or
     *     Kafka unreachable) before the function stops with the last error; -1: always
     * @param onFailureTopic where rows that cannot be used go, or null for the dead-letter topic
     */
    public record Delivery(int batchSize, java.time.Duration batchWindow, int retries, String onFailureTopic) {
        public static final Delivery DEFAULTS = new Delivery(100, java.time.Duration.ZERO, -1, null);
    }

    /** Where a new function starts: the rows already in the table first, or only changes from now on. */
    public enum StartFrom {
        SNAPSHOT,
        LATEST
    }

    /** This trigger with predictions upserted into {@code table} ({@code sink: database: table:}), or with no sink for null. */
    public DatabaseTrigger withSinkTable(String table) {
        return new DatabaseTrigger(
                url, user, passwordEnv, this.table, model, modelColumn, label, startFrom, table, delivery);
    }

    /** The topic the changes of {@code function}'s table go through. */
    public static String topic(String function) {
        return "tributary.db." + function;
    }
}
