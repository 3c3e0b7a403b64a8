package io.campanile.stage2.service;

import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.ImageLimits;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.packs.PackManifest;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 64 px images of an {@code upscale} job, told apart by their blobs:
 *
 * <ul>
 *   <li>a stage-I job handed on ({@code upscale: true}) brings each result's raw tensor, a {@code .npy} blob (magic
 *       {@code \x93NUMPY}) of float32 [C, h, w] in the pack's range, under the stage-I output role;
 *   <li>a standalone job brings one uploaded PNG or JPEG under {@code image}, of any size, which is resized and
 *       centre-cropped to {@value #STAGE_I_SIZE} px like any model input.
 * </ul>
 *
 * @param handoff whether the images come from a stage-I job
 * @param roles the stage-I output role of each image (handoff), or {@code image}
 * @param images the images [N, C, h, w]
 */
public record UpscaleInputs(boolean handoff, List<String> roles, Tensor images) {
    /** The side of IF's stage-I images, which stage II takes. */
    public static final int STAGE_I_SIZE = 64;
    /** The input field of a standalone upscale job. */
    public static final String IMAGE = "image";

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Reads the job's inputs. */
    public static UpscaleInputs read(JobContext job, PackManifest manifest) {
        List<String> roles = new ArrayList<>(job.inputs().refs().keySet());
        List<byte[]> bytes =
                job.inputs().blobs(new ArrayList<>(job.inputs().refs().values()));
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (int i = 0; i < roles.size(); i++) {
            blobs.put(roles.get(i), bytes.get(i));
        }
        return of(blobs, manifest);
    }

    /**
     * The images of the input blobs, by role in the job's order.
     *
     * @throws JobFailedException when the blobs are neither all stage-I tensors nor one uploaded image
     */
    public static UpscaleInputs of(Map<String, byte[]> blobs, PackManifest manifest) {
        if (blobs.isEmpty()) {
            throw new JobFailedException("the upscale job has no input image");
        }
        List<String> roles = new ArrayList<>(blobs.keySet());
        if (blobs.values().stream().allMatch(UpscaleInputs::isNpy)) {
            return new UpscaleInputs(true, roles, stack(roles, new ArrayList<>(blobs.values()), manifest));
        }
        if (roles.size() != 1 || !roles.get(0).equals(IMAGE)) {
            throw new JobFailedException("an upscale job takes either one uploaded image under '" + IMAGE
                    + "' or the .npy tensors of a stage-I job, got inputs " + roles);
        }
        int c = manifest.channels();
        Tensor img = ImageCodec.toTensor(
                ImageCodec.decode(blobs.get(IMAGE), ImageLimits.BACKSTOP), STAGE_I_SIZE, c, manifest.valueRange());
        return new UpscaleInputs(false, roles, img.reshape(1, c, STAGE_I_SIZE, STAGE_I_SIZE));
    }

    /** Whether the bytes start with the {@code .npy} magic. */
    static boolean isNpy(byte[] bytes) {
        if (bytes.length < NPY_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < NPY_MAGIC.length; i++) {
            if (bytes[i] != NPY_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The stage-I tensors [C, h, w], all of one shape, stacked into [N, C, h, w]. */
    private static Tensor stack(List<String> roles, List<byte[]> blobs, PackManifest manifest) {
        Tensor first = null;
        float[] data = null;
        for (int i = 0; i < blobs.size(); i++) {
            Tensor t;
            try {
                t = Npy.decode(blobs.get(i));
            } catch (IllegalArgumentException e) {
                throw new JobFailedException("stage-I image '" + roles.get(i) + "': " + e.getMessage());
            }
            if (t.rank() != 3 || t.dim(0) != manifest.channels()) {
                throw new JobFailedException("stage-I image '" + roles.get(i) + "' is " + t.shapeString() + ", model "
                        + manifest.id() + " upscales images [" + manifest.channels() + ", h, w]");
            }
            if (first == null) {
                first = t;
                data = new float[blobs.size() * t.size()];
            } else if (!Arrays.equals(first.shape(), t.shape())) {
                throw new JobFailedException("stage-I image '" + roles.get(i) + "' is " + t.shapeString() + ", '"
                        + roles.get(0) + "' is " + first.shapeString());
            }
            System.arraycopy(t.data(), 0, data, i * t.size(), t.size());
        }
        return new Tensor(new int[] {blobs.size(), first.dim(0), first.dim(1), first.dim(2)}, data);
    }
}
