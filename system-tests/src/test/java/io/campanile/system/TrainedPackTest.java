package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.restassured.path.json.JsonPath;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The part-A operations on the MNIST pack our trainer made and the repository ships (packs/mnist-class, real trained
 * weights): sample, an anagram of "6" upright and "9" flipped, a hybrid, and inpainting and SDEdit of a digit drawn
 * with strokes.
 */
@ExtendWith(Stack.Extension.class)
class TrainedPackTest {
    static final String PACK = "mnist-class";

    /** A "7" drawn with two strokes, white on black like MNIST, 96 x 96. */
    static String drawnSeven() {
        BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(9, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(24, 22, 72, 22);
        g.drawLine(72, 22, 40, 78);
        g.dispose();
        return Jobs.png(img);
    }

    private static JsonPath run(String type, Object... kv) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("model", PACK);
        body.put("seed", 34224309);
        for (int i = 0; i < kv.length; i += 2) {
            body.put((String) kv[i], kv[i + 1]);
        }
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(body));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        return job;
    }

    private static Tensor image(JsonPath job, String role) {
        return ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, role));
    }

    @Test
    void samplesAreDigitsInTheUnitRange() {
        JsonPath job = run("sample", "prompt", "3", "guidance_scale", 5.0, "num_images", 2);
        assertEquals(List.of("sample 1", "sample 2", "sheet"), job.getList("outputs.role"));
        Tensor s = image(job, "sample 1");
        assertArrayEquals(new int[] {1, 28, 28}, s.shape());
        double mean = 0;
        for (float v : s.data()) {
            mean += v;
        }
        mean /= s.size();
        // MNIST digits are mostly black background: a trained model's sample is too (noise would average 0.5).
        assertTrue(mean < 0.35, "mean pixel " + mean);
        assertEquals(300, job.getInt("timings.unet_calls"), "300 DDPM steps, both CFG branches in one call each");
    }

    @Test
    void anagramOfSixUprightAndNineFlipped() {
        JsonPath job = run("anagram", "prompts", List.of("6", "9"), "views", List.of("identity", "flip"));
        assertEquals(List.of("anagram 1", "anagram 1 view=flip", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void hybridOfTwoDigits() {
        JsonPath job = run("hybrid", "prompt_low", "1", "prompt_high", "8", "kernel_size", 7, "sigma", 1.5);
        assertEquals(List.of("hybrid 1", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void inpaintAndSdeditOfAHandDrawnDigit() {
        JsonPath inpaint = run("inpaint", "image", drawnSeven(), "mask", Jobs.halfMask(), "prompt", "7");
        assertEquals(List.of("original", "mask", "inpainted 1", "sheet"), inpaint.getList("outputs.role"));
        JsonPath edit = run("sdedit", "image", drawnSeven(), "prompt", "7", "i_start", List.of(150, 250));
        assertEquals(List.of("original", "i_start=150", "i_start=250", "sheet"), edit.getList("outputs.role"));
    }
}
