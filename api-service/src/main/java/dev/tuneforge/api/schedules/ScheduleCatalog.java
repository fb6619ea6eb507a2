package dev.tuneforge.api.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.jobs.UnknownReferenceException;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.api.persistence.ScheduleEntity;
import dev.tuneforge.api.persistence.ScheduleRepository;
import dev.tuneforge.api.workflows.WorkflowReferences;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The tenant's cron schedules of workflows. The API only stores them; the scheduler syncs the table into
 * Quartz triggers and starts a workflow per tick.
 */
@ApplicationScoped
public class ScheduleCatalog {
    static final int NEXT_FIRE_TIMES = 3;
    static final int RECENT_WORKFLOWS = 10;

    private final ScheduleRequests requests;
    private final ScheduleRepository schedules;
    private final WorkflowReferences references;
    private final ObjectMapper mapper;

    ScheduleCatalog(ScheduleRequests requests, ScheduleRepository schedules, WorkflowReferences references,
            EventCodec codec) {
        this.requests = requests;
        this.schedules = schedules;
        this.references = references;
        this.mapper = codec.mapper();
    }

    /**
     * Checks the request as POST /api/v1/workflows would check its workflow (fields, then what it names) and
     * stores it.
     *
     * @throws dev.tuneforge.common.jobs.InvalidSpecException naming every bad field
     * @throws UnknownReferenceException the workflow names a model or dataset the tenant does not have
     */
    @Transactional
    public ScheduleView create(Caller caller, JsonNode body) {
        ScheduleDefinition definition = requests.parse(body);
        try {
            references.requireKnown(caller, definition.spec());
        } catch (UnknownReferenceException e) {
            throw new UnknownReferenceException(e.violations().stream()
                    .map(v -> new Violation(ScheduleRequests.underWorkflow(v.field()), v.message())).toList());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ScheduleEntity schedule = new ScheduleEntity();
        schedule.id = UUID.randomUUID();
        schedule.tenantId = caller.tenantId();
        schedule.name = definition.name();
        schedule.cron = definition.cron().cron();
        schedule.timeZone = definition.cron().zone().getId();
        schedule.misfirePolicy = definition.misfirePolicy().name();
        schedule.workflow = json(definition.workflow());
        schedule.enabled = definition.enabled();
        schedule.createdBy = caller.keyName();
        schedule.createdAt = now;
        schedule.updatedAt = now;
        schedules.persist(schedule);
        return view(schedule);
    }

    @Transactional
    public ScheduleView get(Caller caller, UUID id) {
        return view(find(caller, id));
    }

    /** Newest first, after {@code after} (the last row of the previous page) when given. */
    @Transactional
    public List<ScheduleView> list(Caller caller, JobPosition after, int limit) {
        return schedules.page(caller.tenantId(), after, limit).stream().map(this::view).toList();
    }

    /** Switches the schedule on or off (the only change a schedule takes). */
    @Transactional
    public ScheduleView setEnabled(Caller caller, UUID id, JsonNode body) {
        boolean enabled = requests.enabledChange(body);
        if (!schedules.setEnabled(caller.tenantId(), id, enabled)) {
            throw new ScheduleNotFoundException(id.toString());
        }
        return view(find(caller, id));
    }

    /** Deletes the schedule; the workflows it started stay, with their history. */
    @Transactional
    public void delete(Caller caller, UUID id) {
        if (!schedules.deleteForTenant(caller.tenantId(), id)) {
            throw new ScheduleNotFoundException(id.toString());
        }
    }

    private ScheduleEntity find(Caller caller, UUID id) {
        return schedules.findForTenant(caller.tenantId(), id).orElseThrow(() -> new ScheduleNotFoundException(
                id.toString()));
    }

    private ScheduleView view(ScheduleEntity s) {
        List<Instant> next = s.enabled
                ? new CronSchedule(s.cron, ZoneId.of(s.timeZone)).next(Instant.now(), NEXT_FIRE_TIMES)
                : List.of();
        return new ScheduleView(s.id, s.name, s.cron, s.timeZone, MisfirePolicy.valueOf(s.misfirePolicy).wireName(),
                s.enabled, tree(s.workflow), s.createdBy, s.createdAt, s.updatedAt, next,
                schedules.recentWorkflows(s.id, RECENT_WORKFLOWS));
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a schedule's workflow", e);
        }
    }

    private JsonNode tree(String column) {
        try {
            return mapper.readTree(column);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schedule's workflow column holds invalid JSON", e);
        }
    }
}
