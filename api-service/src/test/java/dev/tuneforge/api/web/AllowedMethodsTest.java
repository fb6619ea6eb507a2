package dev.tuneforge.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AllowedMethodsTest {
    @Test
    void templatesMatchTheirPathsOnly() {
        Pattern events = AllowedMethods.regex("/api/v1/jobs/{id}/events");
        assertThat(events.matcher("/api/v1/jobs/5f1c/events").matches()).isTrue();
        assertThat(events.matcher("/api/v1/jobs/5f1c/events/").matches()).isTrue();
        assertThat(events.matcher("/api/v1/jobs/5f1c").matches()).isFalse();
        assertThat(events.matcher("/api/v1/jobs/a/b/events").matches()).isFalse();

        Pattern digits = AllowedMethods.regex("items/{n: \\d+}");
        assertThat(digits.matcher("/items/42").matches()).isTrue();
        assertThat(digits.matcher("/items/x").matches()).isFalse();
    }
}
