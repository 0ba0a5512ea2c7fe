package io.tunelab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of the code base: cli → adapters (activities, worker) → engine; workflows
 * see the Temporal SDK and their own records only; no package cycles. The CLI module's test class
 * path holds every module, so the rules see all of the product's classes.
 */
@AnalyzeClasses(packages = "io.tunelab", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * The plain engine: data, training, evaluation, diagnosis, reports, sweeps, storage, registry.
   */
  static final String[] ENGINE = {
    "io.tunelab.dataset..",
    "io.tunelab.table..",
    "io.tunelab.training..",
    "io.tunelab.evaluation..",
    "io.tunelab.diagnosis..",
    "io.tunelab.report..",
    "io.tunelab.sweep..",
    "io.tunelab.storage..",
    "io.tunelab.registry..",
    "io.tunelab.runs..",
    "io.tunelab.progress.."
  };

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.tunelab.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesInsideAFeature =
      slices().matching("io.tunelab.*.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule engineKnowsNoTemporal =
      noClasses()
          .that()
          .resideInAnyPackage(ENGINE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.temporal..")
          .because("the engine is plain Java; the Temporal adapters live in io.tunelab.activities");

  @ArchTest
  static final ArchRule enginePointsInward =
      noClasses()
          .that()
          .resideInAnyPackage(ENGINE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.tunelab.activities..",
              "io.tunelab.worker..",
              "io.tunelab.cli..",
              "io.tunelab.infra..",
              "io.tunelab.bench..")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("io.tunelab.workflows")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("io.tunelab.workflows.activities")
          .because(
              "dependencies point one way: cli → adapters → engine; the engine reads the"
                  + " workflow records (io.tunelab.workflows.model) and nothing else of the workflows");

  @ArchTest
  static final ArchRule workflowsSeeTemporalOnly =
      noClasses()
          .that()
          .resideInAPackage("io.tunelab.workflows..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "io.tunelab.workflows..",
              "io.temporal..",
              "java..",
              "org.slf4j..",
              "com.fasterxml.jackson.annotation..")
          .because(
              "workflows only orchestrate: the Temporal SDK, their own records and their JSON names");

  @ArchTest
  static final ArchRule adaptersBelowTheCli =
      noClasses()
          .that()
          .resideInAnyPackage("io.tunelab.activities..", "io.tunelab.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.tunelab.cli..", "io.tunelab.bench..");

  @ArchTest
  static final ArchRule infraStandsAlone =
      noClasses()
          .that()
          .resideInAPackage("io.tunelab.infra..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.tunelab.cli..",
              "io.tunelab.activities..",
              "io.tunelab.worker..",
              "io.tunelab.bench..");

  @ArchTest
  static final ArchRule benchmarksLiveInTheBenchModule =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.tunelab.bench..")
          .should()
          .haveSimpleNameEndingWith("Benchmark")
          .because("the product jar holds no benchmark class: they live in the bench module");

  @ArchTest
  static final ArchRule productKnowsNoBenchmark =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.tunelab.bench..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.tunelab.bench..");
}
