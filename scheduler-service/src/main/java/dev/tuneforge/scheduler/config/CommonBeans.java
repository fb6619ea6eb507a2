package dev.tuneforge.scheduler.config;

import dev.tuneforge.common.events.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Beans for the framework-free classes of {@code common}. */
public class CommonBeans {
    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }
}
