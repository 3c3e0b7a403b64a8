package io.campanile.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules mean something only if every module's classes were imported: a rule over no classes proves nothing. */
class ImportedClassesTest {
    @Test
    void everyModuleWithMainCodeIsImported() {
        List<String> missing = MainClasses.MODULE_PACKAGES.stream()
                .filter(p -> MainClasses.CLASSES.stream().noneMatch(c -> inPackage(c.getPackageName(), p)))
                .toList();
        assertEquals(List.of(), missing, "modules whose main classes are not on this module's test classpath");
    }

    @Test
    void noTestClassIsImported() {
        List<String> tests = MainClasses.CLASSES.stream()
                .map(JavaClass::getName)
                .filter(n -> n.startsWith("io.campanile.architecture.") || n.endsWith("Test") || n.endsWith("IT"))
                .toList();
        assertEquals(List.of(), tests, "test classes imported as main code");
    }

    private static boolean inPackage(String name, String root) {
        return name.equals(root) || name.startsWith(root + ".");
    }
}
