package dev.tuneforge.api.schedules;

import java.util.Arrays;
import java.util.Optional;

/**
 * What happens to ticks that passed while no scheduler instance was running (or the schedule could not
 * fire). Stored as the constant name, sent and shown as the wire name.
 */
public enum MisfirePolicy {
    /** All missed ticks together start ONE workflow as soon as a scheduler is back; then the cron goes on. */
    FIRE_ONCE("fire_once"),
    /** Missed ticks are dropped; the next workflow starts at the next tick after the scheduler is back. */
    SKIP("skip");

    private final String wireName;

    MisfirePolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<MisfirePolicy> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
