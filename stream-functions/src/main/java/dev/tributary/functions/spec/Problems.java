package dev.tributary.functions.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What is wrong with a function file so far, each problem with its line: all are reported at once, in line order. */
final class Problems {
    private record Problem(int line, String message) {}

    private final List<Problem> found = new ArrayList<>();

    void add(int line, String message) {
        found.add(new Problem(line, message));
    }

    /** How many so far: a part of the file is usable when reading it added none. */
    int count() {
        return found.size();
    }

    /** @throws FunctionSpecException with every problem as {@code SOURCE:LINE: what is wrong}, if there is any */
    void throwIfAny(String source) throws FunctionSpecException {
        if (!found.isEmpty()) {
            throw new FunctionSpecException(found.stream()
                    .sorted(Comparator.comparingInt(Problem::line))
                    .map(p -> source + ":" + p.line() + ": " + p.message())
                    .toList());
        }
    }
}
