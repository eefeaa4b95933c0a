package dev.tributary.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean": the known names within two typing mistakes (a swap of two letters is one) of what was typed. */
final class Suggestions {
    private Suggestions() {}

    static List<String> near(String typed, Collection<String> known) {
        List<String> near = new ArrayList<>();
        for (String name : known) {
            if (!name.equals(typed) && distance(typed, name) <= Math.min(2, Math.max(1, name.length() / 3))) {
                near.add(name);
            }
        }
        near.sort(Comparator.comparingInt((String n) -> distance(typed, n)).thenComparing(Comparator.naturalOrder()));
        return near.subList(0, Math.min(3, near.size()));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
