package dev.tuneforge.worker.runner;

/** How a handler run ended: a result, or the exception it threw (exactly one is set). */
record Completion(JobResult result, Throwable error) {
    static Completion of(JobResult result) {
        if (result == null) {
            return new Completion(null, new IllegalStateException("handler returned no JobResult"));
        }
        return new Completion(result, null);
    }

    static Completion failed(Throwable error) {
        return new Completion(null, error);
    }
}
