package dev.tuneforge.api.jobs;

/** No job with this id for the caller's tenant (another tenant's job is reported the same way). */
public class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String id) {
        super("no job with id '" + id + "'");
    }
}
