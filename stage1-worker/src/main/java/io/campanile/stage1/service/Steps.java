package io.campanile.stage1.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.ImageLimits;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.ops.ForwardProcess;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.LoopContext;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.GuidedUnet;
import io.campanile.engine.guided.Mix;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.loop.LivePreview;
import io.campanile.engine.loop.Noise;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.Conditioning;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.platform.JobContext;
import java.util.List;

/** What the stage-I operations share: reading their images, the job's noise, the guided UNet, the loop, the sheet. */
final class Steps {
    /** Side of a contact-sheet cell in pixels. */
    private static final int CELL = 128;
    /** The widest live preview of a stage-I loop, in pixels. */
    static final int PREVIEW_SIDE = 64;

    private Steps() {}

    /** An input image, resized and centre-cropped to the pack's size, channels and value range: [C, S, S]. */
    static Tensor original(JobContext job, LoadedPack p, BlobRef image) {
        return ImageCodec.toTensor(
                ImageCodec.decode(job.inputs().blob(image), ImageLimits.BACKSTOP), p.size(), p.channels(), p.range());
    }

    /** The inpainting mask at the pack's size, binarised at 0.5 (1 = new content): [1, S, S]. */
    static Tensor mask(JobContext job, LoadedPack p, BlobRef mask) {
        Tensor m = ImageCodec.toTensor(
                ImageCodec.decode(job.inputs().blob(mask), ImageLimits.BACKSTOP), p.size(), 1, ValueRange.ZERO_ONE);
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
    static Tensor noisy(JobContext job, LoadedPack p, Tensor x0, int t) {
        p.scheduler().schedule().checkTimestep("t", t);
        Tensor eps = SeededNoise.gaussian(job.seed(), "forward t=" + t, 0, x0.shape());
        return ForwardProcess.noise(x0, eps, p.scheduler().schedule(), t);
    }

    /**
     * The guided UNet of a job: its branches, negative prompt, guidance scale, how branches mix, and the sampler
     * (which decides the scales that run the unconditional branch).
     */
    static GuidedUnet guided(
            JobContext job,
            LoadedPack p,
            List<Branch> branches,
            String negativePrompt,
            double guidanceScale,
            Mix mix,
            Sampler sampler) {
        return new GuidedUnet(
                        p,
                        new Conditioning(job, p.manifest()),
                        new GuidedUnet.Settings(branches, negativePrompt, guidanceScale, mix, sampler))
                .timed(nanos -> job.events().addTiming("unet", nanos));
    }

    /** The guided UNet of a one-prompt job: the prompt seen as is, its negative prompt and scale. */
    static GuidedUnet plainGuided(
            JobContext job, LoadedPack p, String prompt, String negativePrompt, double guidanceScale, Sampler sampler) {
        return guided(job, p, plain(prompt), negativePrompt, guidanceScale, Mix.mean(), sampler);
    }

    /** One branch: the prompt, seen as is. */
    static List<Branch> plain(String prompt) {
        return List.of(new Branch(Views.parse("identity"), prompt));
    }

    /** Pure noise x_T for images 0..n-1, each from (seed, stream, image index). */
    static Tensor pureNoise(JobContext job, LoadedPack p, String stream, int n) {
        return Noise.batch(job.seed(), stream, 0, n, p.channels(), p.size());
    }

    /**
     * The loop settings of a sampler: from ts[iStart], noise of stream {@code noiseStream}, and a last step to the
     * clean image as the sampler does it on this pack ({@link LoadedPack#stepsToClean}), and live previews of the
     * first image's x0-hat.
     */
    static DenoiseLoop.Run run(LoadedPack p, int[] ts, int iStart, String noiseStream, String stage, Sampler sampler) {
        return new DenoiseLoop.Run(ts, iStart, noiseStream, 0, stage, p.stepsToClean(sampler))
                .withPreview(new LivePreview(p.range(), PREVIEW_SIDE));
    }

    /** The engine's denoising loop on the job's pack with the sampler's step maths: x [N, C, S, S] in place. */
    static Tensor denoise(
            JobContext job,
            LoadedPack p,
            Sampler sampler,
            GuidedUnet unet,
            Tensor x,
            DenoiseLoop.Run run,
            DenoiseLoop.AfterStep hook) {
        return DenoiseLoop.run(LoopContext.of(job), p.scheduler(sampler), unet, x, run, hook);
    }

    /** A sheet row's title with the sampler and its step count: "a rocket ship (diffusers, 20 steps)". */
    static String label(String title, Sampler sampler, DenoiseLoop.Run run) {
        return title + " (" + sampler.wireName() + ", " + run.steps() + " steps)";
    }

    /** Emits the job's labelled contact sheet (role "sheet"), laid out like the writeup's figure strips. */
    static void sheet(OutputWriter out, List<ContactSheet.Row> rows) {
        out.sheet("sheet", rows, CELL);
    }
}
