package dev.herald.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md: dependencies point one way; libraries stay in their module.
 */
class ModuleRulesTest {
  private static final JavaClasses HERALD =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // test-jars on this module's classpath (herald-core's TestPostgres) are test code too
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.herald");

  @Test
  void coreImportsNoFrameworkKafkaOrJdbc() {
    noClasses()
        .that()
        .resideInAPackage("dev.herald.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "java.sql..",
            "io.helidon..",
            "dev.herald.engine..",
            "dev.herald.store..",
            "dev.herald.analytics..",
            "dev.herald.server..",
            "dev.herald.cli..")
        .check(HERALD);
  }

  @Test
  void apiDependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.herald.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.herald.core..",
            "dev.herald.engine..",
            "dev.herald.store..",
            "dev.herald.analytics..",
            "dev.herald.server..",
            "dev.herald.cli..",
            "dev.herald.client..")
        .check(HERALD);
  }

  @Test
  void onlyTheEngineImportsKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(HERALD);
  }

  @Test
  void onlyTheServerImportsOpenTelemetry() { // the others trace through dev.herald.core.trace
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.opentelemetry..")
        .check(HERALD);
  }

  @Test
  void onlyTheServerImportsTheHttpFramework() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.helidon..")
        .check(HERALD);
  }

  @Test
  void engineAndStoreDoNotKnowEachOtherOrTheServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.herald.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.herald.store..",
            "dev.herald.analytics..",
            "dev.herald.server..",
            "dev.herald.cli..")
        .check(HERALD);
    noClasses()
        .that()
        .resideInAPackage("dev.herald.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.herald.engine..",
            "dev.herald.analytics..",
            "dev.herald.server..",
            "dev.herald.cli..")
        .check(HERALD);
  }

  @Test
  void analyticsDoesNotKnowTheStoreEngineTargetsOrServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.herald.analytics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.herald.store..",
            "dev.herald.engine..",
            "dev.herald.targets..",
            "dev.herald.server..",
            "dev.herald.cli..")
        .check(HERALD);
  }

  @Test
  void onlyTheCliUsesTheServerAndNothingUsesTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.herald.server..", "dev.herald.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.herald.server..")
        .check(HERALD);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.herald.cli..")
        .check(HERALD);
  }

  @Test
  void callersDependOnTheStoreRolesTheyUseNotOnTheWholeStore() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.store..")
        .and()
        .doNotHaveFullyQualifiedName("dev.herald.server.Herald") // the composition root
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.herald.store.StateStore")
        .because("each caller takes the role it uses (ConfigStore, JournalStore, ...)")
        .check(HERALD);
  }

  @Test
  void internalPackagesStayInsideTheirModule() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.herald.store.internal..")
        .check(HERALD);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.targets..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.herald.targets.internal..")
        .check(HERALD);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.herald.analytics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.herald.analytics.internal..")
        .check(HERALD);
  }
}
