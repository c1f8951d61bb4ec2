package dev.crate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.crate.server.crypto.envelope.Aad;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The server's shape as ARCHITECTURE.md states it: the package table of section 2 is read from the
 * document itself, so the code and the document cannot drift apart unnoticed.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.crate.server";
    /** What "any feature package" in the table's last column stands for. */
    private static final List<String> FEATURES = List.of(
            "audit",
            "audit.trail",
            "events",
            "identity",
            "keys",
            "keys.rotation",
            "organizations",
            "secrets",
            "workload");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    private static final Map<String, Set<String>> TABLE = packageTable();

    @Test
    void packagesImportOnlyWhatTheArchitectureTableAllows() {
        classes()
                .that()
                .resideInAPackage(ROOT + "..")
                .should(importOnlyAllowedPackages())
                .check(CLASSES);
    }

    @Test
    void everyServerPackageIsInTheArchitectureTable() {
        for (JavaClass c : CLASSES) {
            assertTrue(
                    row(c.getPackageName()).isPresent(), c.getPackageName() + " is not in ARCHITECTURE.md, section 2");
        }
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheCryptoPackageBuildsAadContextsOrSealsBlobs() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".crypto..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(Contexts.class, Aad.class, Envelope.class)
                .because("the key hierarchy has one choke point, crypto.KeyHierarchy (ARCHITECTURE.md, section 3)")
                .check(CLASSES);
    }

    @Test
    void onlyTheCryptoPackageAsksTheRootKeyToWrapOrUnwrap() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".crypto..")
                .should()
                .callMethod(RootKeyProvider.class, "wrap", byte[].class, byte[].class)
                .orShould()
                .callMethod(RootKeyProvider.class, "unwrap", byte[].class, byte[].class)
                .because("the key hierarchy has one choke point, crypto.KeyHierarchy (ARCHITECTURE.md, section 3)")
                .check(CLASSES);
    }

    @Test
    void tableNamesOnlyPackagesThatItDefines() {
        for (Map.Entry<String, Set<String>> row : TABLE.entrySet()) {
            for (String allowed : row.getValue()) {
                assertTrue(
                        TABLE.containsKey(allowed), row.getKey() + " may import '" + allowed + "', which has no row");
            }
            assertFalse(row.getValue().contains(row.getKey()), row.getKey() + " lists itself");
        }
    }

    private static ArchCondition<JavaClass> importOnlyAllowedPackages() {
        return new ArchCondition<>("import only the packages ARCHITECTURE.md allows") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = row(origin.getPackageName()).orElse(null);
                if (from == null) {
                    return; // reported by everyServerPackageIsInTheArchitectureTable
                }
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    String to = row(target.getPackageName()).orElse(null);
                    if (to != null && !to.equals(from) && !TABLE.get(from).contains(to)) {
                        events.add(SimpleConditionEvent.violated(
                                d, "'" + from + "' may not import '" + to + "': " + d.getDescription()));
                    }
                }
            }
        };
    }

    /** The table row a package belongs to: its own, else that of the nearest enclosing package listed. */
    private static Optional<String> row(String javaPackage) {
        if (!javaPackage.equals(ROOT) && !javaPackage.startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        String name = javaPackage.equals(ROOT) ? "" : javaPackage.substring(ROOT.length() + 1);
        while (true) {
            if (TABLE.containsKey(name)) {
                return Optional.of(name);
            }
            if (name.isEmpty()) {
                return Optional.empty();
            }
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? "" : name.substring(0, dot);
        }
    }

    /** Section 2's table: package (the root as "") to the packages it may import. */
    private static Map<String, Set<String>> packageTable() {
        String doc;
        try {
            doc = Files.readString(Path.of("..", "ARCHITECTURE.md"));
        } catch (IOException e) {
            throw new IllegalStateException("ARCHITECTURE.md is missing at the repository root", e);
        }
        int start = doc.indexOf("## 2.");
        int end = doc.indexOf("\n## 3.", start);
        assertTrue(start >= 0 && end > start, "ARCHITECTURE.md has no section 2");
        Map<String, Set<String>> table = new LinkedHashMap<>();
        Pattern rowPattern = Pattern.compile("^\\| (\\(root\\)|`[a-z0-9.]+`) \\|.*\\| ([^|]+) \\|$", Pattern.MULTILINE);
        Matcher m = rowPattern.matcher(doc.substring(start, end));
        while (m.find()) {
            String name = m.group(1).equals("(root)") ? "" : m.group(1).replace("`", "");
            Set<String> allowed = new LinkedHashSet<>();
            String cell = m.group(2);
            if (cell.contains("any feature package")) {
                allowed.addAll(FEATURES);
            }
            Matcher code = Pattern.compile("`([a-z.0-9]+)`").matcher(cell);
            while (code.find()) {
                allowed.add(code.group(1));
            }
            table.put(name, allowed);
        }
        assertTrue(table.size() > 10, "cannot read the package table of ARCHITECTURE.md, section 2");
        return table;
    }
}
