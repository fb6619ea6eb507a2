package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Set;

/**
 * A Quarkus test resource that provides some servers of the shared test platform and hands their
 * connection settings to the application under test.
 */
abstract class PlatformResource implements QuarkusTestResourceLifecycleManager {
    private final Set<Component> components;

    PlatformResource(Set<Component> components) {
        this.components = Set.copyOf(components);
    }

    @Override
    public Map<String, String> start() {
        return SharedPlatform.start(components);
    }

    /**
     * Leaves the servers running: the next test class (often with another Quarkus application
     * start) reuses them, and the platform stops when the test JVM exits.
     */
    @Override
    public void stop() {
    }
}
