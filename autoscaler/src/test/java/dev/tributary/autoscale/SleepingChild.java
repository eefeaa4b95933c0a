package dev.tributary.autoscale;

/** A stand-in for the CLI in {@link SupervisorTest}: prints its arguments, sleeps, says when it is stopped politely. */
public final class SleepingChild {
    private SleepingChild() {}

    public static void main(String[] args) throws InterruptedException {
        // the hook first: a SIGTERM right after the arguments are printed must still find it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopped gracefully")));
        System.out.println(String.join(" ", args));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
