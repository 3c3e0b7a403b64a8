package io.campanile.stage1.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.ops.ForwardProcess;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.Conditioning;
import io.campanile.engine.LoadedPack;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import java.util.ArrayList;
import java.util.List;

/** Steps that several pipelines share. */
public final class Steps {
    /** Side of a contact-sheet cell in pixels. */
    private static final int CELL = 128;

    private Steps() {
    }

    /** The input image, resized and centre-cropped to the pack's size, channels and value range: [C, S, S]. */
    public static Tensor original(JobContext job, LoadedPack p) {
        return ImageCodec.toTensor(ImageCodec.decode(job.input("image")), p.size(), p.channels(), p.range());
    }

    /** The inpainting mask at the pack's size, binarised at 0.5 (1 = new content): [1, S, S]. */
    public static Tensor mask(JobContext job, LoadedPack p) {
        Tensor m = ImageCodec.toTensor(ImageCodec.decode(job.input("mask")), p.size(), 1,
                io.campanile.diffusion.image.ValueRange.ZERO_ONE);
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] >= 0.5f ? 1f : 0f;
        }
        return m;
    }

    /**
     * x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (DDPM eq. 4), with the noise of stream "forward t=T", so every job
     * with the same seed shows the same noisy image at t (as the forward job does).
     */
    public static Tensor noisy(JobContext job, LoadedPack p, Tensor x0, int t) {
        p.scheduler().schedule().checkTimestep("t", t);
        Tensor eps = SeededNoise.gaussian(job.seed(), "forward t=" + t, 0, x0.shape());
        return ForwardProcess.noise(x0, eps, p.scheduler().schedule(), t);
    }

    /** The job's timestep list: its {@code timesteps} field (a name or a list), else the course's default. */
    public static int[] timesteps(JobContext job, LoadedPack p) {
        JsonNode node = job.request().params().get("timesteps");
        int numTrain = p.scheduler().schedule().numTrainSteps();
        try {
            if (node == null || node.isNull()) {
                return Timesteps.courseDefault(numTrain);
            }
            if (node.isTextual()) {
                return Timesteps.named(node.asText());
            }
            List<Integer> list = new ArrayList<>();
            node.forEach(n -> list.add(n.asInt()));
            return Timesteps.of(list, numTrain);
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    /** A string parameter (defaults are filled in by the gateway). */
    public static String text(JobContext job, String name) {
        JsonNode v = job.request().params().get(name);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Image i of a batch [N, C, H, W] as its own [C, H, W] tensor. */
    public static Tensor image(Tensor batch, int i) {
        int plane = batch.size() / batch.dim(0);
        float[] out = new float[plane];
        System.arraycopy(batch.data(), i * plane, out, 0, plane);
        return new Tensor(new int[] {batch.dim(1), batch.dim(2), batch.dim(3)}, out);
    }

    /** Stacks [C, H, W] images into [N, C, H, W]. */
    public static Tensor stack(List<Tensor> images) {
        Tensor first = images.get(0);
        float[] out = new float[first.size() * images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).data(), 0, out, i * first.size(), first.size());
        }
        return new Tensor(new int[] {images.size(), first.dim(0), first.dim(1), first.dim(2)}, out);
    }

    /** The guided UNet of a job: its branches, negative prompt, guidance scale, and how branches mix. */
    public static GuidedUnet guided(JobContext job, LoadedPack p, List<Branch> branches, Mix mix) {
        return new GuidedUnet(p, new Conditioning(job, p.manifest()), new GuidedUnet.Settings(branches,
                text(job, "negative_prompt"), job.doubleParam("guidance_scale"), mix))
                .timed(nanos -> job.addTiming("unet", nanos));
    }

    /** One branch: the job's prompt, seen as is. */
    public static List<Branch> plain(JobContext job) {
        return List.of(new Branch(io.campanile.diffusion.views.Views.parse("identity"), text(job, "prompt")));
    }

    /** Pure noise x_T for images 0..n-1, each from (seed, stream, image index). */
    public static Tensor pureNoise(JobContext job, LoadedPack p, String stream, int n) {
        return Noise.batch(job.seed(), stream, 0, n, p.channels(), p.size());
    }

    /** Emits the job's labelled contact sheet (role "sheet"), laid out like the writeup's figure strips. */
    public static void sheet(JobContext job, List<ContactSheet.Row> rows) {
        long t0 = System.nanoTime();
        byte[] png = ContactSheet.png(rows, CELL);
        job.addTiming("sheet", System.nanoTime() - t0);
        job.outputPicture("sheet", png);
    }
}
