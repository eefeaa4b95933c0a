package dev.tributary.cli;

/** Whether output goes to a person at a terminal (ANSI redraws) or to a file or pipe (plain lines). */
final class Terminal {
    private Terminal() {}

    static boolean interactive() {
        String term = System.getenv("TERM");
        return System.console() != null && !"dumb".equals(term) && System.getenv("TRIBUTARY_PLAIN") == null;
    }
}
