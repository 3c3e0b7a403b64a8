package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** forward and blur_denoise through gateway, Kafka, stage1-worker and storage; results checked independently. */
@ExtendWith(Stack.Extension.class)
class ForwardAndBlurTest {

    /** abar_t of squaredcos_cap_v2 computed here in double, independently of the library. */
    static double alphaBar(int t) {
        double prod = 1;
        for (int i = 0; i <= t; i++) {
            double a0 = Math.pow(Math.cos((i / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            double a1 = Math.pow(Math.cos(((i + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            prod *= 1 - Math.min(1 - a1 / a0, 0.999);
        }
        return prod;
    }

    static Tensor npy(String url) {
        return Npy.decode(given().queryParam("format", "npy")
                .when()
                .get(url)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    }

    static String url(JsonPath job, String role) {
        return job.getString("outputs.find { it.role == '" + role + "' }.url");
    }

    @Test
    void forwardJobNoisesThePhotoAtEachTimestep() throws Exception {
        String id = Jobs.submit(Jobs.request("forward", "seed", 34224309));
        JsonPath job = Jobs.awaitTerminal(id);
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals(
                List.of("original", "noisy t=250", "noisy t=500", "noisy t=750", "sheet"), job.getList("outputs.role"));
        assertEquals(34224309L, job.getLong("seed"));
        assertEquals(List.of(250, 500, 750), job.getList("params.t"));

        Tensor x0 = npy(url(job, "original"));
        assertArrayEquals(new int[] {3, 64, 64}, x0.shape());
        for (int t : List.of(250, 500, 750)) {
            Tensor xt = npy(url(job, "noisy t=" + t));
            // Invert x_t = sqrt(abar) x0 + sqrt(1 - abar) eps: the recovered eps must be standard normal.
            double a = alphaBar(t), sum = 0, sq = 0;
            int n = xt.size();
            for (int i = 0; i < n; i++) {
                double eps = (xt.data()[i] - Math.sqrt(a) * x0.data()[i]) / Math.sqrt(1 - a);
                sum += eps;
                sq += eps * eps;
            }
            double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
            assertEquals(0, mean, 0.05, "mean of eps at t=" + t);
            assertEquals(1, std, 0.05, "std of eps at t=" + t);
            assertPngMatchesTensor(url(job, "noisy t=" + t), xt);
        }
    }

    private static void assertPngMatchesTensor(String url, Tensor chw) throws Exception {
        byte[] png = given().when()
                .get(url)
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(64, img.getWidth());
        for (int y = 0; y < 64; y += 7) {
            for (int x = 0; x < 64; x += 5) {
                int red = (img.getRGB(x, y) >> 16) & 0xff;
                float v = Math.max(-1, Math.min(1, chw.data()[y * 64 + x]));
                assertEquals((v + 1) / 2 * 255, red, 1.0, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void blurDenoiseBlursTheSameNoisyImagesTheForwardJobShows() {
        long seed = 7;
        JsonPath fwd = Jobs.awaitTerminal(Jobs.submit(Jobs.request("forward", "seed", seed, "t", List.of(500))));
        JsonPath blur = Jobs.awaitTerminal(Jobs.submit(
                Jobs.request("blur_denoise", "seed", seed, "t", List.of(500), "kernel_size", 5, "sigma", 2.0)));
        assertEquals("SUCCEEDED", blur.getString("status"), blur.prettify());
        assertEquals(List.of("original", "noisy t=500", "blur t=500", "sheet"), blur.getList("outputs.role"));
        Tensor noisy = npy(url(blur, "noisy t=500"));
        assertArrayEquals(npy(url(fwd, "noisy t=500")).data(), noisy.data(), "same seed, same noise");
        Tensor blurred = npy(url(blur, "blur t=500"));
        float[] expected = naiveBlur(noisy, 5, 2.0);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], blurred.data()[i], 1e-4, "element " + i);
        }
    }

    /** Direct 2-D convolution with reflect padding (torchvision's gaussian_blur), written independently. */
    static float[] naiveBlur(Tensor x, int k, double sigma) {
        int c = x.dim(0), h = x.dim(1), w = x.dim(2), r = k / 2;
        double[] g = new double[k];
        double s = 0;
        for (int i = 0; i < k; i++) {
            g[i] = Math.exp(-0.5 * Math.pow((i - r) / sigma, 2));
            s += g[i];
        }
        float[] out = new float[x.size()];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        for (int dx = -r; dx <= r; dx++) {
                            int yy = reflect(y + dy, h), xr = reflect(xx + dx, w);
                            acc += g[dy + r] / s * g[dx + r] / s * x.data()[(ch * h + yy) * w + xr];
                        }
                    }
                    out[(ch * h + y) * w + xx] = (float) acc;
                }
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }

    @Test
    void imagesAreServedAsPngAndNpyAndUnknownOnesAre404() {
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(Jobs.request("forward", "t", List.of(10))));
        String url = url(job, "noisy t=10");
        given().queryParam("format", "tiff")
                .when()
                .get(url)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", Matchers.equalTo("format"));
        given().when()
                .get("/v1/images/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertTrue(given().when().get(url).then().statusCode(200).extract().asByteArray().length > 100);
    }
}
