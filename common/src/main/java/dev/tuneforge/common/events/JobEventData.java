package dev.tuneforge.common.events;

import java.util.UUID;

/** Every event payload is about one job and one attempt of it; the attempt fences out zombies. */
public interface JobEventData {
    UUID jobId();

    int attempt();
}
