package dev.tuneforge.worker.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.tuneforge.infra.test.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /q/health/ready}: up while Kafka answers and the runner takes commands; down while the broker is away. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class ReadinessTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void readyWithKafkaUpNotReadyWhileItIsDownReadyAgainAfter() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("kafka", "job-runner"))
                .body("checks.find { it.name == 'job-runner' }.data.worker", equalTo("test-worker")));

        KafkaResource.stopBroker();
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'kafka' }.status", equalTo("DOWN")));
        } finally {
            KafkaResource.startBroker();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
