package io.kalamdb.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The server uses only the engine's public API (ADR 0015): the entry package ({@code KalamEngine}, its config and
 * result values), {@code api}, {@code error} and {@code config}, plus a fixed list of value types that still live
 * in internal packages. The list may only shrink: a new use of an engine internal fails here.
 */
class EnginePublicApiTest {
    /** Engine packages the server may use, whole. */
    static final Set<String> PUBLIC_PACKAGES = Set.of("io.kalamdb.engine", "io.kalamdb.engine.api",
            "io.kalamdb.engine.error", "io.kalamdb.engine.config");

    /**
     * Public values that still live in internal packages (moving them would touch most of the engine while other
     * branches edit it); each is data or a callback the API's requests and replies carry.
     */
    static final Set<String> PUBLIC_TYPES_IN_INTERNAL_PACKAGES = Set.of(
            "io.kalamdb.engine.auth.Role",
            "io.kalamdb.engine.auth.UserRecord",
            "io.kalamdb.engine.catalog.KalamType",
            "io.kalamdb.engine.catalog.KalamType$Kind",
            "io.kalamdb.engine.live.InitialBatch",
            "io.kalamdb.engine.live.LiveChange",
            "io.kalamdb.engine.live.LiveSink",
            "io.kalamdb.engine.live.SubscribeOptions",
            "io.kalamdb.engine.live.Subscription",
            "io.kalamdb.engine.topic.ConsumeRequest",
            "io.kalamdb.engine.topic.ConsumeRequest$Start",
            "io.kalamdb.engine.topic.ConsumeResult",
            "io.kalamdb.engine.catalog.TopicDef$Op",
            "io.kalamdb.engine.topic.TopicMessage",
            "io.kalamdb.engine.util.Identifiers",
            "io.kalamdb.engine.util.RowJson",
            "io.kalamdb.engine.write.ChangeEvent$Type");

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.kalamdb.server");

    @Test
    void theServerUsesOnlyTheEnginesPublicApi() {
        noClasses().that().resideInAPackage("io.kalamdb.server..")
                .should().dependOnClassesThat(internalEngineClass())
                .because("front ends bind to the engine's public API (ADR 0015)")
                .check(SERVER);
    }

    private static DescribedPredicate<JavaClass> internalEngineClass() {
        return DescribedPredicate.describe("are engine internals", (JavaClass c) -> {
            String name = c.getName();
            if (!name.startsWith("io.kalamdb.engine.")) {
                return false;
            }
            return !PUBLIC_PACKAGES.contains(c.getPackageName())
                    && !PUBLIC_TYPES_IN_INTERNAL_PACKAGES.contains(name);
        });
    }
}
