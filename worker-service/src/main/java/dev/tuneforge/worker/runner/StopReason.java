package dev.tuneforge.worker.runner;

/** Why the runner asked a running job to stop; the first reason given wins. */
enum StopReason {
    /** A cancel request for the job arrived: the job ends as cancelled. */
    CANCEL,
    /** The worker shuts down: the record is released so that another worker resumes the job. */
    SHUTDOWN,
    /** The lock on the record was lost (renewal failed): the job now belongs to the next delivery. */
    LOCK_LOST
}
