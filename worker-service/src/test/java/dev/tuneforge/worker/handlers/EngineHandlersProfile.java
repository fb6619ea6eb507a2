package dev.tuneforge.worker.handlers;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The worker with its real engine handlers in place of the runner tests' scripted train handler. */
public class EngineHandlersProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tuneforge.worker.engine-handlers", "true",
                "quarkus.arc.exclude-types", "dev.tuneforge.worker.testing.ScriptedTrainHandler");
    }
}
