package dev.tuneforge.worker.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tuneforge.infra.test.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /q/health/ready} of the running worker: Kafka answers and the runner takes commands. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class ReadinessTest {
    @Test
    void readyOnceKafkaAnswersAndTheRunnerTakesCommands() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'job-runner' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'job-runner' }.data.worker", equalTo("test-worker"))
                .body("checks.find { it.name == 'job-runner' }.data.state", equalTo("RUNNING")));
    }
}
