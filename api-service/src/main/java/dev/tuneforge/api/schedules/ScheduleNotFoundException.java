package dev.tuneforge.api.schedules;

/** No schedule with this id for the caller's tenant (another tenant's is not found either). */
public class ScheduleNotFoundException extends RuntimeException {
    public ScheduleNotFoundException(String id) {
        super("no schedule '" + id + "'");
    }
}
