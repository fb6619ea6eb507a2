package dev.tuneforge.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The public REST API as a client sees it, authenticated with the platform's bootstrap key. */
final class Api {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final String baseUrl;

    Api(E2ePlatform platform) {
        this.baseUrl = platform.apiUrl();
    }

    RequestSpecification request() {
        return given().baseUri(baseUrl).header("Authorization", "Bearer " + E2ePlatform.API_KEY);
    }

    /** Registers the zipped diffusers folder as model {@code id}; an existing one (409) is kept. */
    void registerModel(String id, Path zip) {
        request().multiPart("id", id).multiPart("file", zip.toFile(), "application/zip")
                .post("/api/v1/models").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    }

    /** Uploads images and captions as dataset {@code id}; an existing one (409) is kept. */
    void uploadDataset(String id, List<Path> files) {
        RequestSpecification upload = request().multiPart("id", id);
        for (Path file : files) {
            upload.multiPart("files", file.toFile(), file.toString().endsWith(".txt") ? "text/plain" : "image/png");
        }
        upload.post("/api/v1/datasets").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    }

    /** Submits a job; returns its id (202 and a Location are required). */
    String submit(String kind, Map<String, Object> spec) {
        return request().contentType(ContentType.JSON).body(Map.of("kind", kind, "spec", spec))
                .post("/api/v1/jobs")
                .then().statusCode(202).header("Location", org.hamcrest.Matchers.containsString("/api/v1/jobs/"))
                .extract().path("id");
    }

    JsonPath job(String id) {
        return request().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    String status(String id) {
        return job(id).getString("status");
    }

    void cancel(String id) {
        request().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /** The whole audit trail, in recording order. */
    List<Map<String, Object>> events(String id) {
        List<Map<String, Object>> all = new ArrayList<>();
        Object after = 0;
        while (after != null) {
            JsonPath page = request().queryParam("after", after).get("/api/v1/jobs/" + id + "/events")
                    .then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("items"));
            after = page.get("next");
        }
        return all;
    }

    /** Event types of the trail without the "dev.tuneforge.job." prefix, stale attempts' events left out. */
    List<String> eventTypes(String id) {
        return events(id).stream().filter(e -> !Boolean.TRUE.equals(e.get("stale")))
                .map(e -> String.valueOf(e.get("type")).replace("dev.tuneforge.job.", "")).toList();
    }

    /** Waits for a terminal status and returns it. */
    String awaitTerminal(String id, Duration timeout) {
        return await("job " + id + " terminal").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> status(id), TERMINAL::contains);
    }

    /** Waits for {@code status}. */
    void awaitStatus(String id, String status, Duration timeout) {
        await("job " + id + " " + status).atMost(timeout).pollInterval(Duration.ofMillis(300))
                .until(() -> status(id), status::equals);
    }
}
