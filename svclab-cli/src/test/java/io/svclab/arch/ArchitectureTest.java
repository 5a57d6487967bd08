package io.svclab.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The lines the architecture draws: dependencies point one way (cli → run/report/scenario → k8s →
 * net → sim), and the model never reads the wall clock or an unseeded random source.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.svclab");

    @Test
    void theModelNeverReadsTheWallClockOrUnseededRandomness() {
        noClasses().that().resideInAnyPackage("io.svclab.sim..", "io.svclab.net..", "io.svclab.kernel..",
                        "io.svclab.k8s..", "io.svclab.scenario..", "io.svclab.run..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
                .check(MAIN);
    }

    @Test
    void theEventKernelKnowsNothingOfNetworks() {
        noClasses().that().resideInAPackage("io.svclab.sim..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.svclab.sim..", "java..")
                .check(MAIN);
    }

    @Test
    void theDatapathDoesNotDependOnTheControlPlaneOrTheCli() {
        noClasses().that().resideInAnyPackage("io.svclab.net..", "io.svclab.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage("io.svclab.k8s..", "io.svclab.scenario..",
                        "io.svclab.run..", "io.svclab.report..", "io.svclab.cli..")
                .check(MAIN);
        noClasses().that().resideInAPackage("io.svclab.k8s..")
                .should().dependOnClassesThat().resideInAnyPackage("io.svclab.scenario..", "io.svclab.run..",
                        "io.svclab.report..", "io.svclab.cli..")
                .check(MAIN);
    }

    @Test
    void netfilterKnowsNoConcreteHookFunctionAndModelsDoNotReadReports() {
        noClasses().that().resideInAnyPackage("io.svclab.scenario..", "io.svclab.run..")
                .should().dependOnClassesThat().resideInAnyPackage("io.svclab.report..", "io.svclab.cli..")
                .check(MAIN);
        slices().matching("io.svclab.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
