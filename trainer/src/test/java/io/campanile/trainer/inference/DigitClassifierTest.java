package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.trainer.mnist.MnistDataset;
import io.campanile.trainer.mnist.MnistFiles;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitClassifierTest {
    @Test
    void learnsDigitsFromTheFixtureAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Path fixture = Paths.get(
                        getClass().getResource("/mnist-fixture/SHA256SUMS").toURI())
                .getParent();
        MnistFiles files = new MnistFiles(fixture, null);
        MnistDataset train = files.train();
        DigitClassifier c = DigitClassifier.train(train, 8, 1);
        double trainAcc = c.accuracy(train);
        double testAcc = c.accuracy(files.test());
        assertTrue(trainAcc > 0.9, "fits its 100 training digits: " + trainAcc);
        assertTrue(testAcc > 0.3, "better than chance (0.1) on unseen digits: " + testAcc);
        c.save(dir.resolve("c.zip"));
        DigitClassifier loaded = DigitClassifier.load(dir.resolve("c.zip"));
        assertEquals(testAcc, loaded.accuracy(files.test()));
    }
}
