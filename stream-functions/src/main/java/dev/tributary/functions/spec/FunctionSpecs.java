package dev.tributary.functions.spec;

import java.util.List;
import java.util.Map;

/**
 * The functions of one file ({@code functions.yaml}, read by {@link FunctionSpecReader}), in file order.
 *
 * @param source where they were read from, as errors name it
 * @param databases the database trigger (and sink) of each function a table triggers, by function name
 */
public record FunctionSpecs(String source, List<FunctionSpec> functions, Map<String, DatabaseTrigger> databases) {
    public FunctionSpecs {
        functions = List.copyOf(functions);
        databases = Map.copyOf(databases);
    }

    public FunctionSpecs(String source, List<FunctionSpec> functions) {
        this(source, functions, Map.of());
    }

    /** The heap all the functions want together: what a process running them all should get as {@code -Xmx}. */
    public long heapBytes() {
        return functions.stream().mapToLong(FunctionSpec::memoryBytes).sum();
    }

    /** Each function with the others of the file, to run it (one instance of a function runs one routing). */
    public List<Routing> routings() {
        return functions.stream().map(f -> new Routing(f, functions)).toList();
    }
}
