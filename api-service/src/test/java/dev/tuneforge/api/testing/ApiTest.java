package dev.tuneforge.api.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

/** What the black-box tests share: the database, the broker address, a tenant of their own, HTTP helpers. */
public abstract class ApiTest {
    protected static final String JOBS = "/api/v1/jobs";
    protected static final EventCodec CODEC = new EventCodec();
    protected static final ObjectMapper JSON = CODEC.mapper();

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrapServers;

    protected Db db;
    protected TestKeys.Key key;

    @BeforeEach
    void newTenant() {
        db = new Db(dataSource);
        key = TestKeys.newTenant(db);
    }

    protected RequestSpecification as(TestKeys.Key caller) {
        return given().header("Authorization", caller.bearer());
    }

    protected Response submit(TestKeys.Key caller, String body) {
        return as(caller).contentType(ContentType.JSON).body(body).post(JOBS);
    }

    /** Submits a valid job and returns its id. */
    protected UUID submitted(TestKeys.Key caller, String body) {
        Response response = submit(caller, body);
        response.then().statusCode(202);
        return UUID.fromString(response.jsonPath().getString("id"));
    }

    protected String status(UUID jobId) {
        return (String) db.row("SELECT status FROM jobs WHERE id = ?", jobId).get("status");
    }
}
