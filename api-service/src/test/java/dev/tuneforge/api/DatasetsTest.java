package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.Fixtures;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.infra.test.S3Resource;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dataset uploads against the real S3 and PostgreSQL: what is stored, and what is refused with which names. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class DatasetsTest extends ApiTest {
    private static final String DATASETS = "/api/v1/datasets";

    private RequestSpecification upload(Map<String, byte[]> files) {
        RequestSpecification request = as(key);
        files.forEach((name, bytes) -> request.multiPart("files", name, bytes, "application/octet-stream"));
        return request;
    }

    private List<String> storedKeys(String datasetId) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : S3Resource.client().listObjects(ListObjectsArgs.builder().bucket(ObjectKeys.BUCKET)
                .prefix(ObjectKeys.datasetPrefix(key.tenant(), datasetId)).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static Map<String, byte[]> files(Object... nameThenBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            files.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return files;
    }

    private static Map<String, byte[]> oneBadImageAndAnOrphanCaption() {
        return files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a photo of a cat"),
                "broken.png", Fixtures.text("not really a png"), "broken.txt", Fixtures.text("broken"),
                "orphan.txt", Fixtures.text("nobody's caption"));
    }

    private static Map<String, String> reasons(Response response) {
        Map<String, String> reasons = new LinkedHashMap<>();
        response.jsonPath().getList("files", Map.class)
                .forEach(f -> reasons.put((String) f.get("file"), (String) f.get("reason")));
        return reasons;
    }

    @Test
    void imagesWithTheirCaptionsAreStoredAndListed() throws Exception {
        Response response = upload(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat"),
                "dog.jpg", Fixtures.image("jpg", 20, 10), "dog.txt", Fixtures.text("a dog")))
                .multiPart("id", "pets").multiPart("name", "My pets")
                .post(DATASETS);

        response.then().statusCode(201);
        assertThat(response.header("Location")).endsWith(DATASETS + "/pets");
        assertThat(response.jsonPath().getString("id")).isEqualTo("pets");
        assertThat(response.jsonPath().getString("name")).isEqualTo("My pets");
        assertThat(response.jsonPath().getInt("imageCount")).isEqualTo(2);
        assertThat(response.jsonPath().getList("accepted", String.class))
                .containsExactlyInAnyOrder("cat.png", "cat.txt", "dog.jpg", "dog.txt");
        assertThat(storedKeys("pets")).containsExactlyInAnyOrder(
                ObjectKeys.datasetImage(key.tenant(), "pets", "cat", "png"),
                ObjectKeys.datasetCaption(key.tenant(), "pets", "cat"),
                ObjectKeys.datasetImage(key.tenant(), "pets", "dog", "jpg"),
                ObjectKeys.datasetCaption(key.tenant(), "pets", "dog"));
        as(key).get(DATASETS + "/pets").then().statusCode(200);
        assertThat(as(key).get(DATASETS).jsonPath().getList("items.id", String.class)).containsExactly("pets", "alice");
    }

    @Test
    void webpAndCmykJpegDecodeAsTheWorkerDecodesThem() throws Exception {
        Response response = upload(files("green.webp", resource("lossless_green.webp"), "green.txt", Fixtures.text("g"),
                "red.jpg", resource("cmyk_red.jpg"), "red.txt", Fixtures.text("r"))).post(DATASETS);

        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("imageCount")).isEqualTo(2);
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = DatasetsTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aZipIsUnpackedAndArchiverNoiseIgnored() throws Exception {
        byte[] zip = Fixtures.zip(files("photos/cat.png", Fixtures.png(), "photos/cat.txt", Fixtures.text("a cat"),
                "__MACOSX/photos/._cat.png", new byte[] {0, 5, 22, 7}));
        Response response = upload(files("photos.zip", zip)).post(DATASETS);

        response.then().statusCode(201);
        String id = response.jsonPath().getString("id");
        assertThat(response.jsonPath().getInt("imageCount")).isEqualTo(1);
        assertThat(storedKeys(id)).containsExactlyInAnyOrder(
                ObjectKeys.datasetImage(key.tenant(), id, "cat", "png"), ObjectKeys.datasetCaption(key.tenant(), id, "cat"));
    }

    @Test
    void aBadImageAndAnUnpairedCaptionAreNamedAndNothingIsStored() throws Exception {
        Response response = upload(oneBadImageAndAnOrphanCaption()).multiPart("id", "refused").post(DATASETS);

        ProblemAssertions.assertProblem(response, 422);
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:tuneforge:problem:invalid-upload");
        Map<String, String> reasons = reasons(response);
        assertThat(reasons).containsOnlyKeys("broken.png", "broken.txt", "orphan.txt");
        assertThat(reasons.get("broken.png")).contains("not a decodable image");
        assertThat(reasons.get("broken.txt")).contains("its image 'broken' was rejected");
        assertThat(reasons.get("orphan.txt")).contains("no image");
        assertThat(storedKeys("refused")).isEmpty();
        assertThat(db.count("SELECT count(*) FROM datasets WHERE tenant_id = ? AND id = 'refused'", key.tenant())).isZero();
    }

    @Test
    void skipInvalidStoresTheGoodPairsAndListsTheRest() throws Exception {
        Response response = upload(oneBadImageAndAnOrphanCaption()).multiPart("id", "partial")
                .queryParam("skipInvalid", true).post(DATASETS);

        response.then().statusCode(201);
        assertThat(response.jsonPath().getInt("imageCount")).isEqualTo(1);
        assertThat(response.jsonPath().getList("accepted", String.class)).containsExactlyInAnyOrder("cat.png", "cat.txt");
        assertThat(response.jsonPath().getList("rejected.file", String.class))
                .containsExactlyInAnyOrder("broken.png", "broken.txt", "orphan.txt");
        assertThat(storedKeys("partial")).hasSize(2);
    }

    @Test
    void aZipEntryLeavingTheArchiveRefusesTheWholeZip() throws Exception {
        byte[] zip = Fixtures.zip(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat"),
                "../../evil.png", Fixtures.png()));
        Response response = upload(files("sneaky.zip", zip)).multiPart("id", "sneaky").post(DATASETS);

        ProblemAssertions.assertProblem(response, 422);
        assertThat(reasons(response)).containsOnlyKeys("../../evil.png");
        assertThat(storedKeys("sneaky")).isEmpty();
    }

    @Test
    void deleteIsRefusedWhileAJobUsesTheDatasetThenRemovesEverything() throws Exception {
        upload(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat"))).multiPart("id", "in-use")
                .post(DATASETS).then().statusCode(201);
        UUID job = submitted(key, "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\",\"datasetId\":\"in-use\"}}");

        Response refused = as(key).delete(DATASETS + "/in-use");
        ProblemAssertions.assertProblem(refused, 409);
        assertThat(refused.jsonPath().getList("jobIds", String.class)).containsExactly(job.toString());
        assertThat(storedKeys("in-use")).hasSize(2);

        as(key).post(JOBS + "/" + job + "/cancel").then().statusCode(200);
        as(key).delete(DATASETS + "/in-use").then().statusCode(204);
        assertThat(storedKeys("in-use")).isEmpty();
        ProblemAssertions.assertProblem(as(key).get(DATASETS + "/in-use"), 404);
    }

    /** The row is written last; when that fails, the objects already stored are deleted again. */
    @Test
    void aFailedRowInsertLeavesNoObjects() throws Exception {
        String id = "fail-row-" + UUID.randomUUID().toString().substring(0, 8);
        String trigger = id.replace('-', '_');
        db.update("CREATE FUNCTION reject_" + trigger + "() RETURNS trigger AS $$ BEGIN"
                + " RAISE EXCEPTION 'dataset row refused by test'; END; $$ LANGUAGE plpgsql");
        db.update("CREATE TRIGGER " + trigger + " BEFORE INSERT ON datasets FOR EACH ROW"
                + " WHEN (NEW.id = '" + id + "') EXECUTE FUNCTION reject_" + trigger + "()");
        try {
            Response response = upload(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat"),
                    "dog.png", Fixtures.png(), "dog.txt", Fixtures.text("a dog"))).multiPart("id", id).post(DATASETS);
            ProblemAssertions.assertProblem(response, 500);
        } finally {
            db.update("DROP TRIGGER " + trigger + " ON datasets");
            db.update("DROP FUNCTION reject_" + trigger + "()");
        }
        assertThat(storedKeys(id)).isEmpty();
    }

    @Test
    void anIdInUseOrMalformedIsRefused() {
        upload(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat"))).multiPart("id", "alice")
                .post(DATASETS).then().statusCode(409);
        ProblemAssertions.assertFieldError(upload(files("cat.png", Fixtures.png(), "cat.txt", Fixtures.text("a cat")))
                .multiPart("id", "Not/A Slug").post(DATASETS), "id");
    }
}
