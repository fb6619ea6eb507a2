package dev.tuneforge.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §1: services never import each other. Inside the API the layers point one way:
 * web → jobs → outbox → persistence, and web → datasets/models → assets → storage/persistence;
 * persistence knows nothing above it, and nothing below the web layer knows JAX-RS or multipart types.
 */
class LayeringTest {
    private static JavaClasses api;

    @BeforeAll
    static void importApi() {
        api = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tuneforge.api");
    }

    @Test
    void apiDoesNotImportOtherServices() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.tuneforge.worker..", "dev.tuneforge.scheduler..", "dev.tuneforge.infra..")
                .check(api);
    }

    @Test
    void persistenceKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("..api.persistence..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("..api.web..", "..api.jobs..", "..api.outbox..", "..api.auth..")
                .check(api);
    }

    @Test
    void servicesDoNotDependOnTheWebLayer() {
        noClasses().that().resideInAnyPackage("..api.jobs..", "..api.outbox..", "..api.persistence..",
                        "..api.assets..", "..api.datasets..", "..api.models..", "..api.storage..",
                        "..api.workflows..", "..api.audit..", "..api.schedules..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("..api.web..", "jakarta.ws.rs..", "io.vertx..", "org.jboss.resteasy..")
                .check(api);
    }

    @Test
    void outboxDoesNotDependOnJobHandling() {
        noClasses().that().resideInAPackage("..api.outbox..")
                .should().dependOnClassesThat().resideInAnyPackage("..api.jobs..", "..api.auth..")
                .check(api);
    }
}
