package dev.tributary.autoscale;

/** A stand-in for the CLI in {@link SupervisorTest}: prints its arguments, sleeps, says when it is stopped politely. */
public final class SleepingChild {
  private SleepingChild() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println(String.join(" ", args));
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopped gracefully")));
    Thread.sleep(Long.MAX_VALUE);
  }
}
