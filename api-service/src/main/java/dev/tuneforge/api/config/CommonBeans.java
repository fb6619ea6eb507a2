package dev.tuneforge.api.config;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.JobSpecs;
import dev.tuneforge.common.workflows.WorkflowSpecs;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The {@code common} contracts as beans: one codec and one spec parser, sharing the same mapper settings. */
public class CommonBeans {
    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Produces
    @Singleton
    JobSpecs jobSpecs(EventCodec codec) {
        return new JobSpecs(codec.mapper());
    }

    @Produces
    @Singleton
    WorkflowSpecs workflowSpecs(EventCodec codec) {
        return new WorkflowSpecs(codec.mapper());
    }
}
