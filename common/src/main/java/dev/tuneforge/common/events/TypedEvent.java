package dev.tuneforge.common.events;

/** A decoded event: the envelope, its known type and its payload of that type's class. */
public record TypedEvent<T extends JobEventData>(CloudEvent envelope, EventType type, T data) {
    public String id() {
        return envelope.id();
    }
}
