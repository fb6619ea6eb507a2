package dev.tuneforge.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §1: services never import each other; the scheduler talks to them only through Kafka and the database. */
class LayeringTest {
    private final JavaClasses scheduler = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tuneforge.scheduler");

    @Test
    void schedulerImportsNoOtherService() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.tuneforge.api..", "dev.tuneforge.worker..", "dev.tuneforge.infra..")
                .check(scheduler);
    }

    @Test
    void stateAndRetryLogicDoNotDependOnMessaging() {
        // Kafka stays at the edge (events package): jobs, retry and timers work on the database only.
        noClasses().that().resideInAnyPackage("..scheduler.jobs..", "..scheduler.retry..", "..scheduler.timers..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..")
                .check(scheduler);
    }
}
