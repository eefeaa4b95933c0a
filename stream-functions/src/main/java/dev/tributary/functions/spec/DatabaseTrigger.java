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
        String sinkTable) {

    /** Where a new function starts: the rows already in the table first, or only changes from now on. */
    public enum StartFrom {
        SNAPSHOT,
        LATEST
    }

    /** This trigger with predictions upserted into {@code table} ({@code sink: database: table:}), or with no sink for null. */
    public DatabaseTrigger withSinkTable(String table) {
        return new DatabaseTrigger(url, user, passwordEnv, this.table, model, modelColumn, label, startFrom, table);
    }

    /** The topic the changes of {@code function}'s table go through. */
    public static String topic(String function) {
        return "tributary.db." + function;
    }
}
