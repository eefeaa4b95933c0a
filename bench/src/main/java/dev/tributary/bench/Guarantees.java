package dev.tributary.bench;

/** Short names of the processing guarantees, for topic names and application ids. */
final class Guarantees {
    private Guarantees() {}

    static String shortName(String guarantee) {
        return switch (guarantee) {
            case BenchSettings.EOS -> "eos";
            case BenchSettings.ALOS -> "alos";
            default -> guarantee.replaceAll("[^A-Za-z0-9]", "");
        };
    }
}
