package io.campanile.contracts.jobs;

/**
 * The trainer memory a {@code train} job needs, estimated from its architecture, {@code hidden_dim} D and
 * {@code batch_size} B, so the gateway can refuse a job its trainer cannot hold (one that would fail, or take the
 * trainer down, only after it started). The estimate counts the arrays training holds off the Java heap:
 *
 * <ul>
 *   <li>the parameters (weights and batch-norm statistics), Adam's two moments: 3 floats per parameter;
 *   <li>a training step: the activations of B images and their gradients (about 24,600 D floats per image: every
 *       layer's output at 28 x 28 with D channels, 14 x 14 with D, 7 x 7 with 2D and 4D), the weight gradients, and
 *       the zero-padded copies of inputs and output gradients that the backward of a 3 x 3 convolution works on, in
 *       chunks of up to 32 images (one array per shape: about 1,700 D + 900 floats per image, 2 chunks + 1);
 *   <li>the figures drawn between epochs: the network's forward pass on 80 images (40 digits, twice for
 *       classifier-free guidance; about 15,900 D floats per image), which the trainer holds beside the training
 *       step's arrays;
 *   <li>in {@code precision} bf16 ({@link Precision#BF16}): the bfloat16 copies of the convolutions' inputs that
 *       the step keeps for their weight gradients and oneDNN's buffers (about 1,750 D floats per image), and the
 *       bfloat16 scratch of the figures' forward pass (about 1,000 D floats per image of it).
 * </ul>
 *
 * The factors were measured on the trainer's own step (its {@code TrainingMemoryTest} keeps this estimate an upper
 * bound within 5 % of what the trainer allocates). Not counted: the JVM, the native libraries, the MNIST set on the
 * Java heap; the budget the gateway compares with leaves room for them.
 */
public final class TrainingMemory {
    /** Floats of a training step per image and per unit of D: activations and their gradients. */
    static final long STEP_FLOATS_PER_IMAGE_AND_D = 24_600;
    /** Floats of a training step per image independent of D: the input, target, output and conditioning vectors. */
    static final long STEP_FLOATS_PER_IMAGE = 3_200;
    /** Images per chunk of the convolution backward's padded copies (the trainer's {@code SameConvBackward}). */
    static final int SCRATCH_CHUNK = 32;
    /** Floats of those copies per image of a chunk and per unit of D (the 3 x 3 and the up-sampling layers). */
    static final long SCRATCH_FLOATS_PER_IMAGE_AND_D = 1_700;
    /** Floats of those copies per image of a chunk independent of D (the one-channel input and output). */
    static final long SCRATCH_FLOATS_PER_IMAGE = 900;
    /** Floats of a training step per parameter, tenths: the weight gradients and the split weights of concats. */
    static final long STEP_TENTHS_PER_PARAMETER = 11;
    /** Floats per parameter that live as long as the model: the weight and Adam's first and second moments. */
    static final long MODEL_FLOATS_PER_PARAMETER = 3;
    /** Images of the largest forward pass that draws figures (4 per digit, doubled by classifier-free guidance). */
    static final int SAMPLED_IMAGES = 80;
    /** Floats of a forward pass per image and per unit of D (activations, no gradients). */
    static final long FORWARD_FLOATS_PER_IMAGE_AND_D = 15_900;
    /** Floats of a forward pass per image independent of D. */
    static final long FORWARD_FLOATS_PER_IMAGE = 1_600;
    /** bf16 only: floats of a training step per image and per unit of D (the inputs' bfloat16 copies). */
    static final long BF16_STEP_FLOATS_PER_IMAGE_AND_D = 1_750;
    /** bf16 only: floats of a forward pass per image and per unit of D (its bfloat16 scratch). */
    static final long BF16_FORWARD_FLOATS_PER_IMAGE_AND_D = 1_000;

    private TrainingMemory() {}

    /**
     * The parameters of the course UNet of width D, batch-norm running statistics included: the 3 x 3 convolutions,
     * transposed convolutions, batch norms and the output convolution give 481 D^2 + 123 D + 1; the FCBlocks of the
     * time conditioning add 5 D^2 + 9 D, those of the class conditioning 5 D^2 + 36 D more.
     */
    public static long parameters(Architecture architecture, int hiddenDim) {
        long d = hiddenDim;
        long p = 481 * d * d + 123 * d + 1;
        if (architecture.isDiffusion()) {
            p += 5 * d * d + 9 * d;
        }
        if (architecture == Architecture.CLASS_CONDITIONED) {
            p += 5 * d * d + 36 * d;
        }
        return p;
    }

    /** The estimated bytes of a job with this architecture, D and B in fp32 (see the class comment). */
    public static long bytes(Architecture architecture, int hiddenDim, int batchSize) {
        return bytes(architecture, hiddenDim, batchSize, Precision.FP32);
    }

    /** The estimated bytes of a job with this architecture, D, B and precision (see the class comment). */
    public static long bytes(Architecture architecture, int hiddenDim, int batchSize, Precision precision) {
        long p = parameters(architecture, hiddenDim);
        long d = hiddenDim;
        long floats = MODEL_FLOATS_PER_PARAMETER * p
                + (STEP_TENTHS_PER_PARAMETER * p + 9) / 10
                + batchSize * (STEP_FLOATS_PER_IMAGE_AND_D * d + STEP_FLOATS_PER_IMAGE)
                + (2L * Math.min(batchSize, SCRATCH_CHUNK) + 1)
                        * (SCRATCH_FLOATS_PER_IMAGE_AND_D * d + SCRATCH_FLOATS_PER_IMAGE)
                + SAMPLED_IMAGES * (FORWARD_FLOATS_PER_IMAGE_AND_D * d + FORWARD_FLOATS_PER_IMAGE);
        if (precision == Precision.BF16) {
            floats += (batchSize * BF16_STEP_FLOATS_PER_IMAGE_AND_D
                            + SAMPLED_IMAGES * BF16_FORWARD_FLOATS_PER_IMAGE_AND_D)
                    * d;
        }
        return floats * Float.BYTES;
    }

    /** The estimated bytes of a request, its architecture's defaults filled in. */
    public static long bytes(TrainRequest request) {
        TrainRequest r = request.withDefaults();
        return bytes(r.architecture(), r.hiddenDim(), r.batchSize(), r.precision());
    }

    /**
     * Checks that a request fits a trainer with {@code budgetBytes} of memory for its arrays.
     *
     * @throws InvalidFieldException naming {@code hidden_dim} when no batch fits at that width, else
     *     {@code batch_size}, with the largest batch that fits
     */
    public static void check(TrainRequest request, long budgetBytes) {
        TrainRequest r = request.withDefaults();
        long need = bytes(r.architecture(), r.hiddenDim(), r.batchSize(), r.precision());
        if (need <= budgetBytes) {
            return;
        }
        String what = r.architecture().wireName() + " at hidden_dim " + r.hiddenDim() + " and batch_size "
                + r.batchSize() + " needs about " + mib(need) + " MiB of trainer memory; the trainer has "
                + mib(budgetBytes)
                + " MiB";
        if (bytes(r.architecture(), r.hiddenDim(), 1, r.precision()) > budgetBytes) {
            throw new InvalidFieldException("hidden_dim", "'hidden_dim' is too large: " + what);
        }
        int fits = 1;
        while (bytes(r.architecture(), r.hiddenDim(), fits * 2, r.precision()) <= budgetBytes) {
            fits *= 2;
        }
        for (int step = fits / 2; step >= 1; step /= 2) {
            if (bytes(r.architecture(), r.hiddenDim(), fits + step, r.precision()) <= budgetBytes) {
                fits += step;
            }
        }
        throw new InvalidFieldException(
                "batch_size", "'batch_size' is too large: " + what + " (batch_size " + fits + " fits)");
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
