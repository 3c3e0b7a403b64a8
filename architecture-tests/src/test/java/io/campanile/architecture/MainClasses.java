package io.campanile.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;

/**
 * The main classes of every module under {@code io.campanile}, imported once for all rules. They come from this
 * module's test classpath (the modules are its dependencies); test classes, this module's own included, are left out:
 * the rules are about main code.
 */
final class MainClasses {
    /** The root package of each module with main code; {@link ImportedClassesTest} checks that each one is there. */
    static final List<String> MODULE_PACKAGES = List.of(
            "io.campanile.contracts",
            "io.campanile.diffusion",
            "io.campanile.packs",
            "io.campanile.onnx",
            "io.campanile.testpacks",
            "io.campanile.text",
            "io.campanile.platform",
            "io.campanile.engine",
            "io.campanile.testkit",
            "io.campanile.storage",
            "io.campanile.gateway",
            "io.campanile.textencoder",
            "io.campanile.stage1",
            "io.campanile.stage2",
            "io.campanile.trainer",
            "io.campanile.bench",
            "io.campanile.chaos",
            "io.campanile.cli");

    /** Libraries: shared code that any service may use and that knows no service. */
    static final String[] LIBRARIES = {
        "io.campanile.contracts..",
        "io.campanile.diffusion..",
        "io.campanile.packs..",
        "io.campanile.onnx..",
        "io.campanile.text..",
        "io.campanile.platform..",
        "io.campanile.engine..",
        "io.campanile.testpacks..",
        "io.campanile.testkit.."
    };

    /** Services: the deployable applications. */
    static final String[] SERVICES = {
        "io.campanile.gateway..",
        "io.campanile.storage..",
        "io.campanile.textencoder..",
        "io.campanile.stage1..",
        "io.campanile.stage2..",
        "io.campanile.trainer.."
    };

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.campanile");

    private MainClasses() {}
}
