package dev.tuneforge.infra;

/** One server of the platform: started and stopped in place, on the same port and data directory. */
public interface EmbeddedServer extends AutoCloseable {
    /** Starts the server and waits until it serves requests; does nothing when it runs. */
    void start();

    /** Stops the server, keeping its data; does nothing when it is stopped. */
    void stop();

    boolean isRunning();

    @Override
    default void close() {
        stop();
    }
}
