package io.campanile.engine.superres;

import io.campanile.diffusion.image.Resize;
import io.campanile.diffusion.ops.ForwardProcess;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoopContext;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.loop.LivePreview;
import io.campanile.engine.loop.Noise;
import io.campanile.engine.packs.ConditioningSource;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.platform.JobFailedException;

/**
 * DeepFloyd IF stage II (diffusers' {@code IFSuperResolutionPipeline}) on a batch of stage-I images, 64 to 256 px:
 *
 * <ol>
 *   <li>u = bilinear upscale of each image to S x S with {@code align_corners = true}, still in [-1, 1];
 *   <li>u_noisy = sqrt(abar_L) u + sqrt(1 - abar_L) eps_u (DDPM eq. 4) at the noise level L, on a plain
 *       squaredcos_cap_v2 schedule of 1000 steps (IF's image-noising scheduler);
 *   <li>x_T = pure noise per image;
 *   <li>for each timestep t of the list: the guided estimate of [x_t | u_noisy] with class_labels = L, per branch
 *       of an illusion seen through its view ({@link GuidedUpscaler}), then the DDPM step (learned-range variance;
 *       dynamic thresholding and a last step to the clean image with the diffusers sampler, neither with the
 *       course's) to the next entry, with fresh step noise per image unless t = 0.
 * </ol>
 *
 * <p>All images run in one batch; every draw is per image, so an image does not depend on the batch it shares. The
 * step buffers (x, eps, v, step noise, the UNet's sample batch) are allocated once per run and reused by every step;
 * the steps are the engine's one {@link DenoiseLoop}.
 */
public final class SuperResolution {
    /** The progress stage name. */
    public static final String STAGE = "upscale";

    /** The noise that takes the upscaled image to the noise level. */
    public static final String NOISE_LEVEL = "stage2 noise_level";
    /** The pure noise x_T the loop starts from. */
    public static final String INIT = "stage2 init";
    /** The noise of the DDPM steps (one stream per timestep, {@link Noise#stepStream}). */
    public static final String STEPS = "stage2";
    /** The widest live preview of the stage-II loop, in pixels (256 px images shown at half size). */
    public static final int PREVIEW_SIDE = 128;

    /**
     * @param bilinear the plain upscaled images u [N, C, S, S]
     * @param upscaled the stage-II results [N, C, S, S]
     */
    public record Result(Tensor bilinear, Tensor upscaled) {}

    private SuperResolution() {}

    /** Step 1: the bilinear upscale, {@code align_corners = true}, of images [N, C, h, w] to [N, C, S, S]. */
    public static Tensor upscale(Tensor images, int size) {
        return Resize.bilinearAlignCorners(images, size, size);
    }

    /** Step 2: u [N, C, S, S] noised to the noise level with the noise of stream {@link #NOISE_LEVEL}. */
    public static Tensor noiseToLevel(Tensor u, long seed, int noiseLevel) {
        NoiseSchedule schedule = NoiseSchedule.ifDefault();
        try {
            schedule.checkTimestep("noise_level", noiseLevel);
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
        Tensor eps = Noise.batch(seed, NOISE_LEVEL, 0, u.dim(0), u.dim(1), u.dim(2));
        return ForwardProcess.noise(u, eps, schedule, noiseLevel);
    }

    /** Runs the pipeline on stage-I images [N, C, h, w] (in the pack's value range). */
    public static Result run(
            LoopContext job, LoadedPack pack, ConditioningSource conditioning, Tensor images, UpscaleSettings s) {
        return run(job, pack, conditioning, images, s, null);
    }

    /** As {@link #run(LoopContext, LoadedPack, ConditioningSource, Tensor, UpscaleSettings)}, with a step hook. */
    public static Result run(
            LoopContext job,
            LoadedPack pack,
            ConditioningSource conditioning,
            Tensor images,
            UpscaleSettings s,
            DenoiseLoop.AfterStep hook) {
        // 1-2. The upscaled image and its noised copy, which conditions every step.
        Tensor u = upscale(images, pack.size());
        Tensor uNoisy = noiseToLevel(u, job.seed(), s.noiseLevel());
        GuidedUpscaler unet =
                new GuidedUpscaler(pack, conditioning, s, uNoisy).timed(nanos -> job.addTiming("unet", nanos));
        // 3. x_T, then the loop over the whole list.
        Tensor x = Noise.batch(job.seed(), INIT, 0, images.dim(0), pack.channels(), pack.size());
        DenoiseLoop.run(
                job,
                pack.scheduler(s.sampler()),
                unet,
                x,
                new DenoiseLoop.Run(
                                s.timesteps(), 0, STEPS, 0, STAGE, s.sampler().stepsToClean())
                        .withPreview(new LivePreview(pack.range(), PREVIEW_SIDE)),
                hook);
        return new Result(u, x);
    }
}
