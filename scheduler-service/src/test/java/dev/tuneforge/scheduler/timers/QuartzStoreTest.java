package dev.tuneforge.scheduler.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The timers live in Quartz's clustered JDBC store, in the tables Flyway created (V2__quartz.sql). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class QuartzStoreTest {
    @Inject
    DataSource dataSource;

    @Test
    void theTimersArePersistedInTheJdbcStore() throws SQLException {
        assertThat(column("SELECT trigger_name FROM qrtz_triggers")).contains("heartbeat-sweep", "retry-due");
        assertThat(column("SELECT job_name FROM qrtz_job_details")).contains("heartbeat-sweep", "retry-due");
    }

    @Test
    void thisInstanceChecksInWithTheCluster() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !column("SELECT instance_name FROM qrtz_scheduler_state").isEmpty());
    }

    private List<String> column(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
