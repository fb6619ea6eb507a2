package dev.tuneforge.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §1: {@code common} holds contracts and pure logic, with no framework beyond Jackson. */
class LayeringTest {
    @Test
    void commonDependsOnNothingButTheJdkAndJackson() {
        JavaClasses common = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tuneforge.common");
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson..", "dev.tuneforge.common..")
                .check(common);
    }
}
