package io.campanile.engine;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;

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
        return new DdpmScheduler(new SchedulerSpec(s.betaSchedule(), s.numTrainTimesteps(),
                s.betaStartOrDefault(), s.betaEndOrDefault(), s.varianceType(),
                s.thresholding(), s.dynamicThresholdingRatio() == null ? 0.95 : s.dynamicThresholdingRatio(),
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

    /** The UNet, or a job failure saying that this pack has no weights here. */
    public UnetModel requireUnet() {
        if (unet == null) {
            throw new io.campanile.platform.JobFailedException("model '" + pack.id() + "' has no weights installed on"
                    + " this worker (" + manifest().onnx() + " is missing)");
        }
        return unet;
    }
}
