package io.campanile.contracts.jobs;

/**
 * Field documentation and defaults that several job types share (names and values after the CS180 writeup and
 * IF-FACTS). Annotation values must be constants, so they live here rather than in a shared record.
 */
final class Docs {
    static final String IMAGE =
            "input image, base64 PNG or JPEG, any size; resized and centre-cropped to the model's" + " size";
    static final String T_LIST = "timesteps to noise the image to";
    static final String KERNEL = "Gaussian kernel size (odd)";
    static final String SIGMA = "Gaussian sigma in pixels";
    static final String PROMPT = "the prompt (T5 models) or class label such as \"7\" (class-conditioned models;"
            + " default unconditional)";
    static final String QUALITY_PROMPT = "\"" + JobRequests.QUALITY_PROMPT + "\"";
    static final String NEGATIVE = "the unconditional branch of classifier-free guidance";
    static final String GUIDANCE = "classifier-free guidance scale; 1 or less turns guidance off (one UNet branch)";
    static final String TIMESTEPS = "denoising timesteps: a name (smart27, smart50, smart100, smart185, fast27,"
            + " super27, super40, super100) or a strictly decreasing list; default: 990, 960, ..., 0 (stride 30) for"
            + " T = 1000, every step else";
    static final String SAMPLER = "course: the writeup's loop (x0_hat unthresholded, the image at the last timestep,"
            + " guidance eq. A.4 for every scale); diffusers: IF's pipeline (dynamic thresholding, a last step to the"
            + " clean image, guidance only above 1)";
    static final String SAMPLER_COURSE = "\"course\"";
    static final String NUM_INFERENCE_STEPS = "diffusers' num_inference_steps: N timesteps spaced as its"
            + " set_timesteps(N) (\"leading\": (N-1-k) * (1000 // N), e.g. 950, 900, ..., 50, 0 for 20); instead of"
            + " timesteps; without a sampler it selects the diffusers sampler";
    static final String UPSCALE = "also upscale every result with the IF stage-II pack (64 to 256 pixels)";
    static final String UPSCALE_MODEL = "the stage-II pack used when upscale is true";
    static final String UPSCALE_MODEL_DEFAULT = "\"IF-II-L-v1.0\"";
    static final String I_START =
            "index into the timestep list where denoising starts (10 = t 690 on the default" + " list)";
    static final String NUM_IMAGES = "images to make; each has its own noise, drawn from (seed, image index)";

    private Docs() {}
}
