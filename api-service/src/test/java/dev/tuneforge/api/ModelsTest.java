package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.storage.MissingObjectException;
import dev.tuneforge.api.storage.ObjectStore;
import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.Fixtures;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.infra.test.S3Resource;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.minio.ListObjectsArgs;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Model registration (zip upload and S3 prefix) against the real S3 and PostgreSQL, with the goldens' tiny SD model. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class ModelsTest extends ApiTest {
    private static final String MODELS = "/api/v1/models";

    @Inject
    ObjectStore store;

    private Response uploadZip(String id, Map<String, byte[]> files) {
        return as(key).multiPart("file", id + ".zip", Fixtures.zip(files), "application/zip").multiPart("id", id)
                .post(MODELS);
    }

    private List<String> stored(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : S3Resource.client().listObjects(ListObjectsArgs.builder().bucket(ObjectKeys.BUCKET)
                .prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName().substring(prefix.length()));
        }
        return keys;
    }

    private List<String> storedModel(String id) throws Exception {
        return stored(ObjectKeys.modelPrefix(key.tenant(), id));
    }

    private static List<String> problemFiles(Response response) {
        return response.jsonPath().getList("files.file", String.class);
    }

    @Test
    void aDiffusersZipIsCheckedAndStoredUnderTheModelPrefix() throws Exception {
        Map<String, byte[]> files = Fixtures.modelFiles();
        Response response = uploadZip("tiny", files);

        response.then().statusCode(201);
        assertThat(response.header("Location")).endsWith(MODELS + "/tiny");
        assertThat(response.jsonPath().getString("location"))
                .isEqualTo("s3://tuneforge/" + ObjectKeys.modelPrefix(key.tenant(), "tiny"));
        assertThat(response.jsonPath().getList("files", String.class)).containsExactlyInAnyOrderElementsOf(files.keySet());
        assertThat(storedModel("tiny")).containsExactlyInAnyOrderElementsOf(files.keySet());
        assertThat(as(key).get(MODELS).jsonPath().getList("items.id", String.class)).contains("tiny", "sd15");
    }

    @Test
    void aZipWithTheModelInAFolderIsStoredWithoutThatFolder() throws Exception {
        Map<String, byte[]> nested = new TreeMap<>();
        Fixtures.modelFiles().forEach((path, bytes) -> nested.put("my-model/" + path, bytes));
        uploadZip("nested", nested).then().statusCode(201);
        assertThat(storedModel("nested")).contains("model_index.json", "unet/config.json");
    }

    @Test
    void aMissingComponentIsNamedAndNothingIsStored() throws Exception {
        Response response = uploadZip("no-vae", Fixtures.modelFiles("vae"));

        ProblemAssertions.assertProblem(response, 422);
        assertThat(problemFiles(response)).contains("vae/config.json", "vae/");
        assertThat(response.jsonPath().getList("files.reason", String.class))
                .allSatisfy(reason -> assertThat(reason).contains("missing component 'vae'"));
        assertThat(storedModel("no-vae")).isEmpty();
        assertThat(db.count("SELECT count(*) FROM models WHERE tenant_id = ? AND id = 'no-vae'", key.tenant())).isZero();
    }

    @Test
    void aWeightsFileWithoutASafetensorsHeaderIsNamed() {
        Map<String, byte[]> files = Fixtures.modelFiles();
        byte[] broken = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        files.put("unet/diffusion_pytorch_model.safetensors", broken);
        Response response = uploadZip("broken-unet", files);

        ProblemAssertions.assertProblem(response, 422);
        assertThat(problemFiles(response)).containsExactly("unet/diffusion_pytorch_model.safetensors");
    }

    @Test
    void anExistingS3PrefixIsCopiedUnderTheModelPrefix() throws Exception {
        String source = "imports/" + UUID.randomUUID() + "/sd/";
        Map<String, byte[]> files = Fixtures.modelFiles();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            S3Resource.client().putObject(PutObjectArgs.builder().bucket(ObjectKeys.BUCKET).object(source + file.getKey())
                    .stream(new ByteArrayInputStream(file.getValue()), file.getValue().length, -1).build());
        }
        Response response = as(key).contentType(ContentType.JSON)
                .body("{\"id\":\"imported\",\"name\":\"Imported\",\"source\":\"s3://tuneforge/" + source + "\"}")
                .post(MODELS);

        response.then().statusCode(201);
        assertThat(response.jsonPath().getString("name")).isEqualTo("Imported");
        assertThat(storedModel("imported")).containsExactlyInAnyOrderElementsOf(files.keySet());
        // The source stays where it was: registration copies.
        assertThat(stored(source)).hasSameSizeAs(files.keySet());
    }

    @Test
    void aSourceInAnotherTenantsFolderOrNowhereIsRefused() {
        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON)
                .body("{\"source\":\"s3://tuneforge/tenants/somebody-else/models/sd15/\"}").post(MODELS), "source");
        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON)
                .body("{\"source\":\"s3://tuneforge/imports/" + UUID.randomUUID() + "/\"}").post(MODELS), "source");
        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON)
                .body("{\"source\":\"/local/path\"}").post(MODELS), "source");
    }

    @Test
    void aSourceObjectThatVanishedIsBadInputNotAStoreFault() {
        String missing = "imports/" + UUID.randomUUID() + "/unet/config.json";
        assertThatThrownBy(() -> store.copy(ObjectKeys.BUCKET, missing, "tenants/" + key.tenant() + "/models/x/a"))
                .isInstanceOf(MissingObjectException.class).hasMessageContaining(missing);
    }

    @Test
    void deleteIsRefusedWhileAJobUsesTheModel() throws Exception {
        uploadZip("busy", Fixtures.modelFiles()).then().statusCode(201);
        UUID job = submitted(key, "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"busy\","
                + "\"sampling\":{\"prompts\":[\"a cat\"]}}}");

        Response refused = as(key).delete(MODELS + "/busy");
        ProblemAssertions.assertProblem(refused, 409);
        assertThat(refused.jsonPath().getList("jobIds", String.class)).containsExactly(job.toString());

        as(key).post(JOBS + "/" + job + "/cancel").then().statusCode(200);
        as(key).delete(MODELS + "/busy").then().statusCode(204);
        assertThat(storedModel("busy")).isEmpty();
    }
}
