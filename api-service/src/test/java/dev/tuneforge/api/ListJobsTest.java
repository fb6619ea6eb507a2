package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class ListJobsTest extends ApiTest {

    @Test
    void pagesThroughAllJobsNewestFirst() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(submitted(key, Requests.train()).toString());
        }
        // Same created_at for two jobs: the id breaks the tie and no job is skipped or repeated.
        db.update("UPDATE jobs SET created_at = (SELECT created_at FROM jobs WHERE id = ?) WHERE id = ?",
                UUID.fromString(submitted.get(1)), UUID.fromString(submitted.get(2)));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = as(key).queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor).get(JOBS);
            page.then().statusCode(200);
            listed.addAll(page.jsonPath().getList("items.id"));
            cursor = page.jsonPath().getString("next");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(submitted).doesNotHaveDuplicates();
        assertThat(listed.get(0)).isEqualTo(submitted.get(4));
        assertThat(listed.get(4)).isEqualTo(submitted.get(0));
    }

    @Test
    void filtersByKindAndStatus() {
        UUID train = submitted(key, Requests.train());
        UUID generate = submitted(key, Requests.generate());
        UUID cancelled = submitted(key, Requests.generate());
        as(key).post(JOBS + "/" + cancelled + "/cancel").then().statusCode(200);

        assertThat(as(key).queryParam("kind", "generate").get(JOBS).jsonPath().getList("items.id", String.class))
                .containsExactly(cancelled.toString(), generate.toString());
        assertThat(as(key).queryParam("kind", "train").get(JOBS).jsonPath().getList("items.id", String.class))
                .containsExactly(train.toString());
        assertThat(as(key).queryParam("status", "CANCELLED").get(JOBS).jsonPath().getList("items.id", String.class))
                .containsExactly(cancelled.toString());
        assertThat(as(key).queryParam("status", "cancelled").queryParam("kind", "train").get(JOBS)
                .jsonPath().getList("items")).isEmpty();
    }

    @Test
    void badParametersAreNamed() {
        ProblemAssertions.assertFieldError(as(key).queryParam("status", "DONE").get(JOBS), "status");
        ProblemAssertions.assertFieldError(as(key).queryParam("kind", "paint").get(JOBS), "kind");
        ProblemAssertions.assertFieldError(as(key).queryParam("limit", "0").get(JOBS), "limit");
        ProblemAssertions.assertFieldError(as(key).queryParam("limit", "101").get(JOBS), "limit");
        ProblemAssertions.assertFieldError(as(key).queryParam("limit", "ten").get(JOBS), "limit");
        ProblemAssertions.assertFieldError(as(key).queryParam("cursor", "bm90IGEgY3Vyc29y").get(JOBS), "cursor");
    }
}
