package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code lr.*} curve of {@code lr_schedules/}: the schedule and its options are read from the
 * {@code get_scheduler(...)} call that fixtures.json records for it.
 */
class LrScheduleParityTest {

    private static final Pattern SCHEDULE_NAME = Pattern.compile("get_scheduler\\('([a-z_]+)'");
    private static final Pattern KEYWORD = Pattern.compile("(\\w+)=([-+0-9.eE]+)");

    @Test
    void everyCurveMatchesDiffusers() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("lr_schedules")) {
            Set<String> curves = fixtures.names("lr.");
            assertThat(curves).isNotEmpty();
            JsonNode calls = fixtures.description().path("calls");
            long[] steps = fixtures.get("steps").toLongArray();
            for (String curve : curves) {
                JsonNode call = calls.path(curve);
                assertThat(call.isTextual()).as("fixtures.json description.calls." + curve).isTrue();
                double worst = compare(curve, call.asText(), steps, fixtures.get(curve).toFloatArray());
                System.out.printf("%s max |diff| %.3g%n", curve, worst);
            }
        }
    }

    @Test
    void unknownNamesAndMissingOptionsAreRejected() {
        assertThatThrownBy(() -> LrSchedule.builder("exponential")).hasMessageContaining("exponential")
                .hasMessageContaining("cosine_with_restarts");
        assertThatThrownBy(() -> LrSchedule.builder("cosine").build()).hasMessageContaining("training steps");
        assertThatThrownBy(() -> LrSchedule.builder("polynomial").trainingSteps(10).initialLr(1e-7).lrEnd(1e-6).build())
                .hasMessageContaining("lr_end");
    }

    @Test
    void constantIgnoresWarmupAndRestartsFallToZeroAtTheEnd() {
        LrSchedule constant = LrSchedule.builder("constant").warmupSteps(10).build();
        assertThat(constant.factor(0)).isEqualTo(1.0);
        LrSchedule restarts = LrSchedule.builder("cosine_with_restarts").warmupSteps(0).trainingSteps(30).numCycles(3)
                .build();
        assertThat(restarts.factor(10)).isEqualTo(1.0);
        assertThat(restarts.factor(30)).isZero();
        assertThat(restarts.lr(2e-4, 0)).isEqualTo(2e-4);
    }

    private static double compare(String curve, String call, long[] steps, float[] expected) {
        Matcher name = SCHEDULE_NAME.matcher(call);
        assertThat(name.find()).as("schedule name in " + call).isTrue();
        Map<String, Double> options = keywords(call);
        double baseLr = options.get("lr");
        LrSchedule.Builder builder = LrSchedule.builder(name.group(1))
                .warmupSteps(options.get("num_warmup_steps").intValue())
                .trainingSteps(options.get("num_training_steps").intValue())
                .initialLr(baseLr);
        if (options.containsKey("num_cycles")) {
            builder.numCycles(options.get("num_cycles").intValue());
        }
        if (options.containsKey("power")) {
            builder.power(options.get("power"));
        }
        LrSchedule schedule = builder.build();
        double worst = 0;
        for (int i = 0; i < steps.length; i++) {
            float actual = (float) schedule.lr(baseLr, steps[i]);
            double diff = Math.abs(actual - expected[i]);
            assertThat(diff).as("%s at step %d: %s vs %s", curve, steps[i], actual, expected[i])
                    .isLessThanOrEqualTo(Math.ulp(expected[i]));
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    private static Map<String, Double> keywords(String call) {
        Map<String, Double> options = new HashMap<>();
        Matcher m = KEYWORD.matcher(call);
        while (m.find()) {
            options.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return options;
    }
}
