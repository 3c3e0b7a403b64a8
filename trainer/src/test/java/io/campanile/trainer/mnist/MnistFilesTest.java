package io.campanile.trainer.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
    static Path fixture() throws Exception {
        return Paths.get(MnistFilesTest.class
                        .getResource("/mnist-fixture/SHA256SUMS")
                        .toURI())
                .getParent();
    }

    @Test
    void readsTheFixtureSubset() throws Exception {
        MnistFiles files = new MnistFiles(fixture(), null);
        MnistDataset train = files.train();
        assertEquals(100, train.size());
        assertEquals(5, train.labels()[0]); // the first MNIST training digit is a 5
        float max = 0;
        for (float v : train.images()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
        assertEquals(7, files.test().labels()[0]); // and the first test digit a 7
    }

    @Test
    void refusesAFileWhoseChecksumDiffers(@TempDir Path dir) throws Exception {
        for (String f : new String[] {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, MnistFiles.SUMS_FILE}) {
            Files.copy(fixture().resolve(f), dir.resolve(f));
        }
        byte[] bytes = Files.readAllBytes(dir.resolve(MnistFiles.TRAIN_LABELS));
        bytes[bytes.length - 9] ^= 1; // inside the gzip payload
        Files.write(dir.resolve(MnistFiles.TRAIN_LABELS), bytes);
        var e = assertThrows(MnistFiles.MnistException.class, () -> new MnistFiles(dir, null).train());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aFolderWithoutItsOwnSumsIsCheckedAgainstThePublishedFiles(@TempDir Path dir) throws Exception {
        for (String f : new String[] {MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS}) {
            Files.copy(fixture().resolve(f), dir.resolve(f));
        }
        var e = assertThrows(MnistFiles.MnistException.class, () -> new MnistFiles(dir, null).test());
        assertTrue(e.getMessage().contains(MnistFiles.PUBLISHED_SHA256.get(MnistFiles.TEST_IMAGES)), e.getMessage());
    }

    @Test
    void missingFolderNamesTheConfigKey(@TempDir Path dir) {
        var e = assertThrows(MnistFiles.MnistException.class, () -> new MnistFiles(dir.resolve("x"), null).test());
        assertTrue(e.getMessage().contains("campanile.trainer.mnist-dir"), e.getMessage());
    }

    @Test
    void fullTestSetMatchesThePublishedChecksumsAndLabelCounts() {
        String shared = System.getProperty("campanile.shared.dir");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data", "mnist")), "no shared MNIST");
        MnistDataset test = new MnistFiles(Path.of(shared, "data", "mnist"), null).test();
        int[] counts = new int[10];
        for (byte b : test.labels()) {
            counts[b]++;
        }
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
    }
}
