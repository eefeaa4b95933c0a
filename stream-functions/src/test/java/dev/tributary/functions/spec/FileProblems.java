package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** What {@link FunctionSpecReader} reports about a function file named {@code functions.yaml}. */
final class FileProblems {
    private FileProblems() {}

    static List<String> of(String yaml) {
        return catchThrowableOfType(FunctionSpecException.class, () -> FunctionSpecReader.read(yaml, "functions.yaml"))
                .problems();
    }
}
