package io.campanile.engine.packs;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.contracts.jobs.TimestepSpec;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.platform.JobFailedException;
import java.util.function.Supplier;

/**
 * A model pack ready to run: its manifest, the DDPM scheduler it configures, and its UNet session (null when the pack
 * has no weights installed, which is enough for forward and blur jobs).
 *
 * @param pack the pack on disk
 * @param scheduler the DDPM maths of the pack's scheduler block
 * @param unet the ONNX session, or null
 */
public record LoadedPack(ModelPack pack, DdpmScheduler scheduler, UnetModel unet) {

    /** The scheduler a manifest describes. */
    public static DdpmScheduler schedulerOf(PackManifest m) {
        PackManifest.SchedulerConfig s = m.scheduler();
        return new DdpmScheduler(new SchedulerSpec(
                s.betaSchedule(),
                s.numTrainTimesteps(),
                s.betaStartOrDefault(),
                s.betaEndOrDefault(),
                s.varianceType(),
                s.thresholding(),
                s.dynamicThresholdingRatio() == null ? 0.95 : s.dynamicThresholdingRatio(),
                s.sampleMaxValue() == null ? 1.0 : s.sampleMaxValue()));
    }

    public PackManifest manifest() {
        return pack.manifest();
    }

    public int size() {
        return manifest().imageSize();
    }

    public int channels() {
        return manifest().channels();
    }

    public ValueRange range() {
        return manifest().valueRange();
    }

    /**
     * A job's timestep list resolved against this pack's schedule: a list name, or an explicit list checked against
     * its T; {@code fallback} when the job names none. A list that does not fit is a job failure naming it.
     */
    public int[] timesteps(TimestepSpec spec, Supplier<int[]> fallback) {
        try {
            if (spec == null) {
                return fallback.get();
            }
            return spec.name() != null
                    ? Timesteps.named(spec.name())
                    : Timesteps.of(spec.values(), scheduler.schedule().numTrainSteps());
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    /**
     * As {@link #timesteps(TimestepSpec, Supplier)}, or diffusers' {@code set_timesteps(numInferenceSteps)} list
     * ("leading" spacing) when the job gives a step count instead of a list.
     */
    public int[] timesteps(TimestepSpec spec, Integer numInferenceSteps, Supplier<int[]> fallback) {
        if (numInferenceSteps == null) {
            return timesteps(spec, fallback);
        }
        try {
            return Timesteps.leading(numInferenceSteps, scheduler.schedule().numTrainSteps());
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    /**
     * The step maths a sampler runs on this pack: the pack's scheduler for diffusers, the same without dynamic
     * thresholding for the course (x0_hat as eq. A.3 gives it).
     */
    public DdpmScheduler scheduler(Sampler sampler) {
        SchedulerSpec s = scheduler.spec();
        if (sampler.thresholds() || !s.thresholding()) {
            return scheduler;
        }
        return new DdpmScheduler(new SchedulerSpec(
                s.betaSchedule(),
                s.numTrainTimesteps(),
                s.betaStart(),
                s.betaEnd(),
                s.varianceType(),
                false,
                s.dynamicThresholdingRatio(),
                s.sampleMaxValue()));
    }

    /**
     * Whether a sampler's loop ends with a step to the clean image on this pack. diffusers' always does. The course's
     * loop is the writeup's for the pack: part A's on T5-conditioned (IF) packs stops at the last timestep; part B's
     * algorithm 2 on the MNIST UNets it trains (class-conditioned or unconditional) ends with the clean step.
     */
    public boolean stepsToClean(Sampler sampler) {
        return sampler.stepsToClean() || manifest().conditioning() != PackManifest.Conditioning.T5;
    }

    /** The course's default list of this pack: stride 30 from 990 for T = 1000, every step else. */
    public int[] courseTimesteps() {
        return Timesteps.courseDefault(scheduler.schedule().numTrainSteps());
    }

    /** The UNet, or a job failure saying that this pack has no weights here. */
    public UnetModel requireUnet() {
        if (unet == null) {
            throw new JobFailedException("model '" + pack.id() + "' has no weights installed on" + " this worker ("
                    + manifest().onnx() + " is missing)");
        }
        return unet;
    }
}
