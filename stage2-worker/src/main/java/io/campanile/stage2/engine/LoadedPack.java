package io.campanile.stage2.engine;

import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;

/**
 * A stage-II model pack ready to run: its manifest, the DDPM scheduler its scheduler block configures, and its UNet
 * session (an upscaler: sample [B, 2C, S, S], class_labels = noise level).
 *
 * @param pack the pack on disk
 * @param scheduler the DDPM maths of the pack's scheduler block (IF stage II: learned range, thresholding, 1.0)
 * @param unet the ONNX session
 */
public record LoadedPack(ModelPack pack, DdpmScheduler scheduler, UnetModel unet) {

    /** The scheduler a manifest describes; unset thresholding values take IF's (ratio 0.95, sample_max_value 1.0). */
    public static DdpmScheduler schedulerOf(PackManifest m) {
        PackManifest.SchedulerConfig s = m.scheduler();
        return new DdpmScheduler(new SchedulerSpec(BetaSchedule.parse(s.betaSchedule()), s.numTrainTimesteps(),
                s.betaStartOrDefault(), s.betaEndOrDefault(), VarianceType.parse(s.varianceType()),
                s.thresholding(), s.dynamicThresholdingRatio() == null ? 0.95 : s.dynamicThresholdingRatio(),
                s.sampleMaxValue() == null ? 1.0 : s.sampleMaxValue()));
    }

    public PackManifest manifest() {
        return pack.manifest();
    }

    /** The output side S (256 for IF stage II). */
    public int size() {
        return manifest().imageSize();
    }

    /** Image channels C (3); the UNet's sample has 2C. */
    public int channels() {
        return manifest().channels();
    }
}
