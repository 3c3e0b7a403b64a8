package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images of a call split over lanes (sessions side by side) get the numbers one session gives them. */
class OnnxEpsilonLanesTest {

    @Test
    void lanesGiveTheNumbersOfOneSession(@TempDir Path dir) throws Exception {
        for (Architecture a : new Architecture[] {Architecture.CLASS_CONDITIONED, Architecture.TIME_CONDITIONED}) {
            UNetSpec spec = UNetSpec.of(a, 8);
            int steps = 40;
            try (UNetModel model = UNetModel.create(spec, 5, 1e-2, 1)) {
                model.fit(UNetGraphTest.randomBatch(spec, 6, 1));
                Path packDir = dir.resolve(a.name());
                PackExporter.write(
                        packDir,
                        PackExporter.onnxBytes(model, steps),
                        PackExporter.manifest(spec, steps, "lanes", "lanes test"));
                ModelPack pack = new ModelPack(packDir, Manifests.read(packDir));
                // 33 images: 3 lanes of 11, 11 and 11, or 4 lanes of 8, 8, 8 and 9 (each lane takes at least
                // MIN_LANE_SAMPLES images)
                int n = 33;
                Batch b = UNetGraphTest.randomBatch(spec, n, 2);
                try (OnnxEpsilon one = OnnxEpsilon.load(pack, true, 1);
                        OnnxEpsilon three = OnnxEpsilon.load(pack, true, 3);
                        OnnxEpsilon four = OnnxEpsilon.load(pack, true, 4)) {
                    float[] single = one.predict(b.x(), b.t(), b.c(), n);
                    assertEquals(0, maxAbs(single, three.predict(b.x(), b.t(), b.c(), n)), 1e-6, a + " predict");
                    assertEquals(0, maxAbs(single, four.predict(b.x(), b.t(), b.c(), n)), 1e-6, a + " predict");
                    if (a == Architecture.CLASS_CONDITIONED) {
                        float t = 17 / (float) steps;
                        float[] guided = one.guided(b.x(), t, b.c(), n, 5f);
                        for (int k = 0; k < 2; k++) { // the second call reuses each lane's conditioning rows
                            assertEquals(0, maxAbs(guided, three.guided(b.x(), t, b.c(), n, 5f)), 1e-6, "guided");
                        }
                        // fewer images than two lanes need: one lane takes them all
                        float[] few = one.guided(b.x(), t, b.c(), 5, 5f);
                        assertEquals(0, maxAbs(few, three.guided(b.x(), t, b.c(), 5, 5f)), 1e-6, "guided, 5 images");
                    }
                }
            }
        }
    }

    private static double maxAbs(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
