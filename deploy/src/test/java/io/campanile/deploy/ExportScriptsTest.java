package io.campanile.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/export holds to the Java side that loads its packs. Tests that read the scripts as text always run; those that
 * run them are skipped (not passed) without {@code python3} on the PATH. They need no torch: the scripts import
 * torch, onnx and numpy only inside the functions that use them.
 */
class ExportScriptsTest {
    private ExportChecks checks;

    @BeforeEach
    void load() {
        checks = new ExportChecks(Repo.root());
    }

    @Test
    void thePythonManifestSchemaHasThePackManifestFields() {
        Problems.assertNone(checks.manifestFieldsAreThePackManifestComponents());
    }

    @Test
    void theExportersDeclareTheTensorsTheWorkersFeedAndRead() {
        Problems.assertNone(checks.tensorNamesAndTypesAreTheWorkersContract());
    }

    @Test
    void fileNamesShapesAndPackIdsAgreeWithTheJavaSide() {
        Problems.assertNone(checks.fileNamesShapesAndPackIdsAgreeWithTheJavaSide());
    }

    @Test
    void theExportersComputeTheirReferenceWithoutTf32() {
        Problems.assertNone(checks.exportersComputeTheirReferenceWithoutTf32());
    }

    @Test
    void theParityCheckRunsOnnxRuntimeAndPyTorchWithoutTf32() {
        assumeTrue(Python.available(), "no python3 on the PATH");
        Problems.assertNone(checks.parityRunsOnnxRuntimeAndPyTorchWithoutTf32());
    }

    @Test
    void shippedManifestsPassThePythonSchemaAndAreWhatTheExportersWrite() {
        assumeTrue(Python.available(), "no python3 on the PATH");
        Problems.assertNone(checks.shippedManifestsPassTheSchemaAndAreWhatTheExportersWrite());
    }

    @Test
    void everyExportScriptCompiles() {
        assumeTrue(Python.available(), "no python3 on the PATH");
        Problems.assertNone(checks.scriptsCompile());
    }
}
