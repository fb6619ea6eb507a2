package dev.tuneforge.worker.engine.bench;

/** One benchmark case: set up when constructed (untimed), then {@link #run()} is the timed work. */
interface BenchCase extends AutoCloseable {

    void run() throws Exception;

    @Override
    void close() throws Exception;
}
