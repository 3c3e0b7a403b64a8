package io.campanile.engine.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.StoredImage;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.image.PngText;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobOutputs;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an operation hands its results: each image tensor is encoded (PNG for people, float32 {@code .npy} for
 * exact reuse) and given to the job's {@link JobOutputs}, which stores and reports it; contact sheets and plots are
 * stored the same way. Encoding lives here so that the platform library knows nothing of images. Every PNG carries
 * what made it as text chunks ({@link #generation}).
 */
public final class OutputWriter {
    private final JobContext job;

    public OutputWriter(JobContext job) {
        this.job = job;
    }

    /**
     * Stores an output image and reports it. Idempotent per role, so a redelivered job reports the same image.
     *
     * @param chw image tensor [C, H, W] in {@code range}
     */
    public StoredImage image(String role, Tensor chw, ValueRange range) {
        long t0 = System.nanoTime();
        byte[] png = ImageCodec.encodePng(chw, range);
        job.events().addTiming("png", System.nanoTime() - t0);
        return store(role, png, chw, range);
    }

    /**
     * Stores a rendered PNG that is not a model tensor (a contact sheet, a plot) and reports it like an image; its
     * {@code .npy} form is the picture itself as float32 [3, H, W] in [0, 1].
     */
    public StoredImage picture(String role, byte[] png) {
        JobOutputs.Encoded e = pictureBytes(role, png);
        return job.outputs().store(role, e.png(), e.npy(), e.shape(), e.range());
    }

    /**
     * Stores a labelled figure: the PNG people look at (rendered with its labels) and, as its {@code .npy}, the tensor
     * it shows (e.g. the raw grid of digits), so programs read the numbers rather than the rendering.
     *
     * @param chw the figure's data [C, H, W] in {@code range}
     */
    public StoredImage figure(String role, byte[] png, Tensor chw, ValueRange range) {
        return store(role, png, chw, range);
    }

    /**
     * Renders the job's labelled contact sheet ({@code cell} pixels per image) and stores it under {@code role}, both
     * in the background, off the job's slot ({@link JobOutputs#storeRendered}; timed as "sheet"). The rows' tensors
     * are the job's finished results and must not change after this call.
     */
    public void sheet(String role, List<ContactSheet.Row> rows, int cell) {
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("a contact sheet needs at least one row");
        }
        List<ContactSheet.Row> copy = new ArrayList<>(rows); // ContactSheet says what is wrong with a row
        job.outputs().storeRendered(role, "sheet", () -> pictureBytes(role, ContactSheet.png(copy, cell)));
    }

    /** A picture's stored forms: the PNG with its text chunks and the picture as float32 [3, H, W] in [0, 1]. */
    private JobOutputs.Encoded pictureBytes(String role, byte[] png) {
        BufferedImage img = ImageCodec.decode(png);
        int w = img.getWidth();
        int h = img.getHeight();
        float[] chw = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                chw[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                chw[h * w + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
                chw[2 * h * w + y * w + x] = (rgb & 0xff) / 255f;
            }
        }
        return new JobOutputs.Encoded(
                PngText.with(png, generation(job.request(), role)),
                Npy.encode(new Tensor(new int[] {3, h, w}, chw)),
                List.of(3, h, w),
                "[0,1]");
    }

    private StoredImage store(String role, byte[] png, Tensor chw, ValueRange range) {
        List<Integer> shape = Arrays.stream(chw.shape()).boxed().toList();
        byte[] tagged = PngText.with(png, generation(job.request(), role));
        return job.outputs()
                .store(role, tagged, Npy.encode(chw), shape, range == ValueRange.ZERO_ONE ? "[0,1]" : "[-1,1]");
    }

    /**
     * What made an image, as the PNG's text chunks: the job, its type, model, seed and sampler, the parameters as
     * the worker ran them (JSON, defaults filled in) and the image's role. A redelivered job writes the same bytes.
     */
    static Map<String, String> generation(JobRequestMessage request, String role) {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "campanile");
        text.put("job_id", String.valueOf(request.jobId()));
        text.put("type", request.jobType());
        text.put("model", request.model());
        text.put("seed", Long.toString(request.seed()));
        JsonNode sampler = request.params() == null ? null : request.params().get("sampler");
        text.put("sampler", sampler == null || sampler.isNull() ? null : sampler.asText());
        text.put("params", request.params() == null ? null : request.params().toString());
        text.put("role", role);
        return text;
    }
}
