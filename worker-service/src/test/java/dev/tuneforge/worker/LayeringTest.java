package dev.tuneforge.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import dev.tuneforge.worker.runner.WorkerRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §1: services never import each other, and the diffusion engine is pure DJL: nothing from
 * messaging, storage, Quarkus or the container APIs, so it can be run and tested on its own.
 */
class LayeringTest {
    /** The module's own classes only: scanning the whole class path (DJL's native jars) for the package is slow. */
    private static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(List.of(Location.of(WorkerRuntime.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void workerImportsNoOtherService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.tuneforge.api..", "dev.tuneforge.scheduler..", "dev.tuneforge.infra..")
                .check(WORKER);
    }

    @Test
    void engineImportsNoMessagingStorageOrFramework() {
        noClasses().that().resideInAPackage("dev.tuneforge.worker.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.minio..", "io.quarkus..", "jakarta..", "io.smallrye..", "io.vertx..")
                .check(WORKER);
    }

    @Test
    void engineImportsNothingOfTheWorkerAroundIt() {
        noClasses().that().resideInAPackage("dev.tuneforge.worker.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.tuneforge.worker.runner..", "dev.tuneforge.worker.messaging..",
                        "dev.tuneforge.worker.config..", "dev.tuneforge.worker.health..")
                .check(WORKER);
    }
}
