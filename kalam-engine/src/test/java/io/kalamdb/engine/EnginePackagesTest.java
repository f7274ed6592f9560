package io.kalamdb.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's package structure (ADR 0018): no cycles between its packages, the layering from {@code error} at
 * the bottom to SQL and live queries at the top, and no server or Vert.x code in the engine.
 *
 * <p>Layers, bottom up: {@code error}; {@code auth} (users and roles as values); {@code catalog}; {@code util};
 * {@code hot}; {@code write}; then {@code topic}, {@code auth.impl} and {@code jobs}; {@code sql}; {@code live}.
 * The root package ({@code KalamEngine} and the request/result types) wires them together and {@code api} sits on
 * top of everything; no layer imports {@code api}.
 */
@AnalyzeClasses(packages = "io.kalamdb.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class EnginePackagesTest {
    private static final String ENGINE = "io.kalamdb.engine..";

    @ArchTest
    static final ArchRule noCyclesBetweenEnginePackages = slices().matching("io.kalamdb.engine.(**)")
            .namingSlices("$1").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule errorIsTheBottom = noClasses().that().resideInAPackage("io.kalamdb.engine.error..")
            .should().dependOnClassesThat(resideInAPackage(ENGINE).and(not(resideInAPackage(
                    "io.kalamdb.engine.error.."))))
            .because("every layer throws KalamException");

    @ArchTest
    static final ArchRule usersAndRolesAreValues = noClasses().that().resideInAPackage("io.kalamdb.engine.auth")
            .should().dependOnClassesThat(resideInAPackage(ENGINE).and(not(resideInAnyPackage(
                    "io.kalamdb.engine.auth", "io.kalamdb.engine.error.."))))
            .because("the catalog and the write log carry users and roles; the user service is in auth.impl");

    @ArchTest
    static final ArchRule catalogKnowsNoStorage = noClasses().that().resideInAPackage("io.kalamdb.engine.catalog..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.hot..", "io.kalamdb.engine.write..",
                    "io.kalamdb.engine.topic..", "io.kalamdb.engine.sql..", "io.kalamdb.engine.live..",
                    "io.kalamdb.engine.jobs..", "io.kalamdb.engine.auth.impl..", "io.kalamdb.engine.util..");

    @ArchTest
    static final ArchRule utilIsShared = noClasses().that().resideInAPackage("io.kalamdb.engine.util..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.hot..", "io.kalamdb.engine.write..",
                    "io.kalamdb.engine.topic..", "io.kalamdb.engine.sql..", "io.kalamdb.engine.live..",
                    "io.kalamdb.engine.jobs..", "io.kalamdb.engine.auth.impl..");

    @ArchTest
    static final ArchRule hotKnowsOnlyTypes = noClasses().that().resideInAPackage("io.kalamdb.engine.hot..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.write..",
                    "io.kalamdb.engine.topic..", "io.kalamdb.engine.sql..", "io.kalamdb.engine.live..",
                    "io.kalamdb.engine.jobs..", "io.kalamdb.engine.auth.impl..")
            .because("the hot store stores and reads bytes; SQL, topics and live queries are built on it");

    @ArchTest
    static final ArchRule writePathKnowsNoSqlNorTopics = noClasses().that()
            .resideInAPackage("io.kalamdb.engine.write..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.topic..", "io.kalamdb.engine.sql..",
                    "io.kalamdb.engine.live..", "io.kalamdb.engine.jobs..", "io.kalamdb.engine.auth.impl..")
            .because("the applier reaches topics through ChangePublisher, implemented above it");

    @ArchTest
    static final ArchRule topicsKnowNoSql = noClasses().that().resideInAPackage("io.kalamdb.engine.topic..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.sql..", "io.kalamdb.engine.live..",
                    "io.kalamdb.engine.jobs..")
            .because("route filters come compiled through RouteFilterCompiler; SQL statements on topics use topics");

    @ArchTest
    static final ArchRule sqlKnowsNoLiveQueries = noClasses().that().resideInAPackage("io.kalamdb.engine.sql..")
            .should().dependOnClassesThat().resideInAnyPackage("io.kalamdb.engine.live..", "io.kalamdb.engine.jobs..")
            .because("live queries are planned by SQL; KILL LIVE QUERY goes through LiveQueryControl");

    @ArchTest
    static final ArchRule onlyTheRootWiresTheEngine = noClasses().that()
            .resideOutsideOfPackages("io.kalamdb.engine", "io.kalamdb.engine.api..", "io.kalamdb.engine.service..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.kalamdb.engine.KalamEngine");

    @ArchTest
    static final ArchRule apiIsTheTop = noClasses().that()
            .resideOutsideOfPackages("io.kalamdb.engine", "io.kalamdb.engine.api..", "io.kalamdb.engine.service..")
            .should().dependOnClassesThat().resideInAPackage("io.kalamdb.engine.api..")
            .because("the public engine API sits on top of everything; only it and its implementation (service) "
                    + "use it");

    @ArchTest
    static final ArchRule noServerInTheEngine = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.vertx..", "io.grpc..", "io.kalamdb.server..")
            .because("kalam-engine is a plain Java library (DESIGN.md)");
}
