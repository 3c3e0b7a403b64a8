package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** int8 weights as ONNX Runtime reads them back: each slice within half a step of its scale, zero slices exact. */
class OnnxGraphInt8Test {
    @Test
    void int8WeightsComeBackWithinHalfAStepPerSliceAndZeroSlicesStayZero() throws Exception {
        int rows = 4;
        int cols = 300;
        float[] w = new float[rows * cols];
        Random r = new Random(5);
        for (int i = 0; i < w.length; i++) {
            int row = i / cols;
            w[i] = row == 2 ? 0f : (float) (r.nextGaussian() * Math.pow(10, -row)); // slices of very different sizes
        }
        OnnxGraph g = new OnnxGraph("int8", WeightFormat.INT8);
        String name = g.floats("w", w, rows, cols);
        g.node("Identity", List.of(name));
        g.renameLastOutput("out");
        g.output("out", -1, cols);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(g.toModelBytes("test"));
                OrtSession.Result res = s.run(Map.<String, OnnxTensor>of())) {
            float[][] back = (float[][]) res.get(0).getValue();
            for (int row = 0; row < rows; row++) {
                float max = 0;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, Math.abs(w[row * cols + c]));
                }
                float step = max / 127f;
                for (int c = 0; c < cols; c++) {
                    float d = Math.abs(back[row][c] - w[row * cols + c]);
                    if (row == 2) {
                        assertEquals(0f, back[row][c], "a zero slice stays zero");
                    } else {
                        assertTrue(
                                d <= step / 2 * 1.0001f,
                                "row " + row + " col " + c + ": off by " + d + ", step " + step);
                    }
                }
            }
        }
    }
}
