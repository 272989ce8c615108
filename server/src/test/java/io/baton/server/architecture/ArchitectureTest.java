package io.baton.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlCall;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlScript;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.api.Test;

/** The layering of docs/architecture.md, checked on the compiled main classes of every module. */
@AnalyzeClasses(packages = "io.baton", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] PROTOCOL = {"io.baton.protocol..", "io.baton.bundle..", "io.baton.common.."};
    private static final String DB = "io.baton.server.db..";

    @ArchTest
    static final ArchRule workflowsDependOnNoOtherModule = noClasses()
            .that()
            .resideInAnyPackage("io.baton.workflows..", "io.baton.pipeline..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.baton.protocol..",
                    "io.baton.bundle..",
                    "io.baton.common..",
                    "io.baton.worker..",
                    "io.baton.server..");

    @ArchTest
    static final ArchRule protocolDependsOnNeitherWorkerNorServer = noClasses()
            .that()
            .resideInAnyPackage(PROTOCOL)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.baton.worker..", "io.baton.server..");

    @ArchTest
    static final ArchRule workerDoesNotDependOnServer = noClasses()
            .that()
            .resideInAPackage("io.baton.worker..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.baton.server..");

    @ArchTest
    static final ArchRule nothingDependsOnTheCli = noClasses()
            .that()
            .resideOutsideOfPackage("io.baton.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.baton.cli..")
            .because("the CLI is a client of the API: its jar is not on the server's or the worker's class path");

    @ArchTest
    static final ArchRule cliUsesOnlyTheApiTheBundlePackerAndTheVersion = noClasses()
            .that()
            .resideInAPackage("io.baton.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.baton.server..",
                    "io.baton.worker..",
                    "io.baton.workflows..",
                    "io.baton.pipeline..",
                    "io.baton.protocol..")
            .because("the CLI's jar leaves out the workflows module (and Temporal's SDK) that those need");

    @ArchTest
    static final ArchRule serverUsesTheWorkerOnlyInLocalMode = noClasses()
            .that()
            .resideInAPackage("io.baton.server..")
            .and()
            .resideOutsideOfPackage("io.baton.server.local..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.baton.worker..")
            .because("the server and the worker share only the protocol module; local mode runs a worker in process");

    @ArchTest
    static final ArchRule serverPackagesHaveNoCycles =
            slices().assignedFrom(new PackagesUnder("io.baton.server")).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule workerPackagesHaveNoCycles =
            slices().assignedFrom(new PackagesUnder("io.baton.worker")).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule statementsRunOnlyInDaos = noClasses()
            .that()
            .resideOutsideOfPackages(DB, "db.migration..")
            .should()
            .callMethodWhere(new DescribedPredicate<JavaMethodCall>("a SQL statement on a JDBI Handle") {
                private final Set<String> statements = Set.of(
                        "createQuery",
                        "createUpdate",
                        "createBatch",
                        "prepareBatch",
                        "createScript",
                        "createCall",
                        "execute",
                        "select");

                @Override
                public boolean test(JavaMethodCall call) {
                    return call.getTargetOwner().isAssignableTo(Handle.class) && statements.contains(call.getName());
                }
            });

    @ArchTest
    static final ArchRule sqlObjectsLiveInDb = methods()
            .that()
            .areAnnotatedWith(SqlQuery.class)
            .or()
            .areAnnotatedWith(SqlUpdate.class)
            .or()
            .areAnnotatedWith(SqlBatch.class)
            .or()
            .areAnnotatedWith(SqlCall.class)
            .or()
            .areAnnotatedWith(SqlScript.class)
            .should()
            .beDeclaredInClassesThat()
            .resideInAPackage(DB);

    /** A SQL statement written as a string outside db would pass the rules above if it reached a DAO as text. */
    @Test
    void sqlTextIsWrittenOnlyInDb() throws IOException {
        Pattern statement = Pattern.compile(
                "\"(\"\")?\\s*(SELECT|INSERT|UPDATE|DELETE|MERGE|REPLACE)\\s", Pattern.CASE_INSENSITIVE);
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> outside;
        try (Stream<Path> files = Files.walk(root, 12)) {
            outside = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/io/baton/server/db/")
                            && !p.toString().contains("/db/migration/"))
                    .filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .filter(p -> statement.matcher(read(p)).find())
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        assertThat(outside)
                .as("main classes with SQL text outside io.baton.server.db")
                .isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One slice per package directly under a root, its classes in the root itself being a slice of their own. */
    private record PackagesUnder(String root) implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (pkg.equals(root)) {
                return SliceIdentifier.of(root);
            }
            if (!pkg.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring(root.length() + 1);
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(root + "." + (dot < 0 ? rest : rest.substring(0, dot)));
        }

        @Override
        public String getDescription() {
            return "packages under " + root;
        }
    }
}
