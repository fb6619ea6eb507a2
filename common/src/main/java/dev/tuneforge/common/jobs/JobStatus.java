package dev.tuneforge.common.jobs;

/** Job states of DESIGN §3: SUBMITTED → QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, RETRYING between attempts. */
public enum JobStatus {
    SUBMITTED,
    QUEUED,
    RUNNING,
    RETRYING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
