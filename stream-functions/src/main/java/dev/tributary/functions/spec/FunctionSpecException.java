package dev.tributary.functions.spec;

import java.util.List;

/** A function file that cannot be used: every problem found, each as {@code FILE:LINE: what is wrong}, in line order. */
public final class FunctionSpecException extends Exception {
    private final List<String> problems;

    public FunctionSpecException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
