"""Independent reference outputs of whole campanile jobs on the small test packs (numpy only, no torch, no Java).

The system test submits real jobs (seed 7) to test-if-stage1 / test-if-stage2 and compares their .npy outputs with
the numbers this script prints. Everything here is re-derived from the published definitions, not from the Java
engine: the DDPM step, learned-range variance and dynamic thresholding of diffusers' DDPMScheduler, the IF pipelines
(CFG only when g > 1, last step to the clean image), the CS180 project-5 loop (no thresholding, CFG for every g,
noise in every step, no final step to t = -1), visual_anagrams' views (negate leaves the variance alone) and
torchvision's gaussian_blur. Only the project's documented contracts are taken from it: the seeded noise recipe
(SeededNoise javadoc), the analytic test UNets and the test T5 encoder (TestFunctions), the image mapping and the
noise stream names. Maths is float64 on float32 inputs; outputs are rounded to float32 at the end.

Run: python3 golden_trajectories.py --java ../java/io/campanile/system/GoldenValues.java
"""
import argparse
import math

import numpy as np

P1, P2 = "a photo of a dog", "an oil painting of a man"
# T5 ids of each prompt up to and including </s> (id 1); padding (id 0, mask 0) fills the rest of the 77 tokens.
# "" is the single </s> token (T5Tokenizer.encode appends </s> to an empty segmentation). Prompt ids: placeholders.
# The project's T5 tokenizer (spiece.model, Unigram) on the prompts, </s> included; "" is </s> alone.
PROMPT_IDS = {"": [1], P1: [3, 9, 1202, 13, 3, 9, 1782, 1], P2: [46, 1043, 3924, 13, 3, 9, 388, 1]}
SEED = 7
L = [990, 750, 510, 270, 30, 0]
INDEX = {64: [0, 1, 2, 777, 4095, 5000, 9001, 12287], 256: [0, 1, 65535, 99999, 131072, 196607]}
MAX_VALUE = {64: 1.5, 256: 1.0}  # sample_max_value of test-if-stage1 / test-if-stage2

# ---------------------------------------------------------------- noise (SeededNoise's documented recipe)
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(z):
    """SplitMix64's output function on a Python int or a uint64 array (both wrap modulo 2^64)."""
    if isinstance(z, int):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


def gaussian(seed, stream, index, shape):
    """SeededNoise.gaussian: per-sample SplitMix64 stream, Box-Muller pairs, float32, C order."""
    h = mix(mix(seed & M64) ^ fnv1a64(stream))
    start = mix((h + GOLDEN * (index + 1)) & M64)
    n = int(np.prod(shape))
    pairs = (n + 1) // 2
    with np.errstate(over="ignore"):
        states = np.arange(1, 2 * pairs + 1, dtype=np.uint64) * np.uint64(GOLDEN) + np.uint64(start)
        u = (mix(states) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    r = np.sqrt(-2.0 * np.log(1.0 - u[0::2]))
    angle = 2 * math.pi * u[1::2]
    z = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1).reshape(-1)[:n]
    return z.astype(np.float32).astype(np.float64).reshape(shape)


def check_noise():
    """The values SeededNoiseTest.algorithmIsStable pins (they came from another Python port of the recipe)."""
    a = gaussian(34224309, "", 0, (4,))
    b = gaussian(34224309, "forward/t=250", 2, (3,))
    assert list(a) == [-0.3126164972782135, 0.699145495891571, 0.6655715703964233, -0.674302339553833], a
    assert list(b) == [0.3374883532524109, -0.4310899078845978, 1.6778838634490967], b


# ---------------------------------------------------------------- schedule (as golden_scheduler.py)
def alphas_cumprod():
    """squaredcos_cap_v2, 1000 steps, float32 betas and cumulative product (diffusers)."""
    def abar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = np.array([min(1 - abar((i + 1) / 1000) / abar(i / 1000), 0.999) for i in range(1000)], dtype=np.float32)
    return np.cumprod((np.float32(1.0) - betas).astype(np.float64)).astype(np.float32).astype(np.float64)


AC = alphas_cumprod()


def forward(x0, t, z):
    """DDPM eq. 4: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps."""
    return math.sqrt(AC[t]) * x0 + math.sqrt(1 - AC[t]) * z


# ---------------------------------------------------------------- images
def input_image():
    """The uploaded 64x64 RGB PNG as a [-1, 1] tensor: u = p / 255 (float32), v = 2u - 1 (float32), no resampling."""
    x, y = np.meshgrid(np.arange(64), np.arange(64))  # x = column, y = row
    rgb = np.stack([(3 * x + 5 * y) % 256, (7 * x + 2 * y + 40) % 256, (x * y) % 256]).astype(np.float32)
    unit = rgb / np.float32(255)
    return (np.float32(2) * unit - np.float32(1)).astype(np.float64)


def inpaint_mask():
    """The grey mask PNG read in [0, 1], binarised at 0.5: [1, 64, 64], 1 = new content."""
    x, y = np.meshgrid(np.arange(64), np.arange(64))
    return ((x >= 16) & (x < 48) & (y >= 8) & (y < 40)).astype(np.float64)[None]


# ---------------------------------------------------------------- test T5 encoder and test UNets
def encoder_means(prompt):
    """e[c] = mean over all 77 rows of tanh(E[id] W) * mask, c < 3 (the only channels the test UNets read)."""
    ids = PROMPT_IDS[prompt]
    i = np.array(ids, dtype=np.float64)[:, None] + 1
    j = np.arange(8, dtype=np.float64)
    e_rows = np.sin(0.001 * i * (j[None, :] + 1)).astype(np.float32).astype(np.float64)  # E[id], [n, 8]
    w = (np.cos(0.01 * (j[:, None] + 1) * (np.arange(3)[None, :] + 1)) / 2).astype(np.float32).astype(np.float64)
    states = np.tanh(e_rows @ w).astype(np.float32).astype(np.float64)  # unmasked rows; padding rows are 0
    return states.sum(axis=0) / 77


def pattern(size):
    """P(y, x) = sin(0.3 y + 0.1) cos(0.21 x + 0.2) + (y + 2 x) / size, stored as float32: the prompt's spatial term."""
    y = np.arange(size, dtype=np.float64)[:, None]
    x = np.arange(size, dtype=np.float64)[None, :]
    p = np.sin(0.3 * y + 0.1) * np.cos(0.21 * x + 0.2) + (y + 2 * x) / size
    return p.astype(np.float32).astype(np.float64)


def unet1(inp, t, e, _label=None):
    """test-if-stage1: eps = 0.5 x + e[c] + 0.001 t + e[c] P, v = 0.5 tanh(x)."""
    level = e[:, None, None]
    return 0.5 * inp + level + 0.001 * t + level * pattern(inp.shape[1]), 0.5 * np.tanh(inp)


def unet2(inp, t, e, label):
    """test-if-stage2 on [x_t | u]: eps = 0.5 x_t + 0.25 u + e[c] + 0.001 t + 0.0001 label + e[c] P, v = 0.5 tanh(x_t)."""
    xt, u = inp[:3], inp[3:]
    level = e[:, None, None]
    eps = 0.5 * xt + 0.25 * u + level + 0.001 * t + 0.0001 * label + level * pattern(xt.shape[1])
    return eps, 0.5 * np.tanh(xt)


# ---------------------------------------------------------------- views (visual_anagrams), blur, bilinear
VIEWS = {  # name: (view, inverse of eps, inverse of v); arrays are [C, H, W]
    "identity": (lambda a: a, lambda a: a, lambda a: a),
    "flip": (lambda a: a[:, ::-1, :], lambda a: a[:, ::-1, :], lambda a: a[:, ::-1, :]),
    "rot90": (lambda a: np.rot90(a, 1, axes=(1, 2)), lambda a: np.rot90(a, -1, axes=(1, 2)),
              lambda a: np.rot90(a, -1, axes=(1, 2))),
    "negate": (lambda a: -a, lambda a: -a, lambda a: a),  # view_negate.py: the variance is not negated
}


def gaussian_blur(img, kernel, sigma):
    """torchvision gaussian_blur: normalised 1-D Gaussian on [-(k-1)/2, (k-1)/2], reflect padding, separable."""
    x = np.linspace(-(kernel - 1) / 2, (kernel - 1) / 2, kernel)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    k /= k.sum()
    pad = kernel // 2
    p = np.pad(img, ((0, 0), (pad, pad), (pad, pad)), mode="reflect")
    h, w = img.shape[1:]
    rows = sum(k[i] * p[:, i:i + h, :] for i in range(kernel))
    return sum(k[i] * rows[:, :, i:i + w] for i in range(kernel))


def bilinear_align_corners(img, size):
    """F.interpolate(mode='bilinear', align_corners=True): source coordinate o (n - 1) / (size - 1)."""
    def weights(n):
        src = np.arange(size) * (n - 1) / (size - 1)
        i0 = np.minimum(np.floor(src).astype(int), n - 2)
        return i0, src - i0

    y0, fy = weights(img.shape[1])
    x0, fx = weights(img.shape[2])
    rows = img[:, y0, :] * (1 - fy)[None, :, None] + img[:, y0 + 1, :] * fy[None, :, None]
    return rows[:, :, x0] * (1 - fx) + rows[:, :, x0 + 1] * fx


# ---------------------------------------------------------------- guidance and the two samplers
def guided(unet, inp, t, branches, g, always_cfg, label=None):
    """Per branch (prompt, view): UNet on view(input), CFG, inverse view. Returns the lists of eps and cond v."""
    eps_all, v_all = [], []
    for prompt, name in branches:
        view, inv_eps, inv_v = VIEWS[name]
        viewed = view(inp)
        eps_c, v_c = unet(viewed, t, encoder_means(prompt), label)
        eps = eps_c
        if always_cfg or g > 1:
            eps_u, _ = unet(viewed, t, encoder_means(""), label)
            eps = eps_u + g * (eps_c - eps_u)
        eps_all.append(inv_eps(eps))
        v_all.append(inv_v(v_c))
    return eps_all, v_all


def mean_of(eps_all, v_all):
    return sum(eps_all) / len(eps_all), sum(v_all) / len(v_all)


def hybrid_of(kernel, sigma):
    """Factorized diffusion: eps = lowpass(eps_low) + highpass(eps_high); v = mean of the conditional v."""
    def combine(eps_all, v_all):
        low, high = eps_all
        return gaussian_blur(low, kernel, sigma) + high - gaussian_blur(high, kernel, sigma), sum(v_all) / 2
    return combine


def predictor(unet, branches, g, always_cfg, combine=mean_of, cond=None, label=None):
    """eps, v of x at t; cond is the stage-II upscaled image appended as channels 3-5 (viewed with x_t)."""
    def predict(x, t):
        inp = x if cond is None else np.concatenate([x, cond])
        return combine(*guided(unet, inp, t, branches, g, always_cfg, label))
    return predict


def predict_x0(x, eps, t):
    return (x - math.sqrt(1 - AC[t]) * eps) / math.sqrt(AC[t])


def threshold(x0, max_value):
    """diffusers dynamic thresholding (ratio 0.95) over one sample's C*H*W values."""
    s = min(max(np.quantile(np.abs(x0).reshape(-1), 0.95, method="linear"), 1.0), max_value)
    return np.clip(x0, -s, s) / s


def ddpm_step(x, eps, v, t, prev, z, max_value=None):
    """DDPM posterior mean (eqs. 6-7) from x0_hat, plus learned-range noise when z is given; prev -1 means abar = 1."""
    ab, abp = AC[t], (AC[prev] if prev >= 0 else 1.0)
    alpha = ab / abp
    beta = 1 - alpha
    x0 = predict_x0(x, eps, t)
    if max_value is not None:
        x0 = threshold(x0, max_value)
    mean = math.sqrt(abp) * beta / (1 - ab) * x0 + math.sqrt(alpha) * (1 - abp) / (1 - ab) * x
    if z is None:
        return mean
    frac = (v + 1) / 2
    logvar = frac * math.log(beta) + (1 - frac) * math.log(max((1 - abp) / (1 - ab) * beta, 1e-20))
    return mean + np.exp(0.5 * logvar) * z


def course_loop(x, ts, i_start, predict, loop, index, after_step=None):
    """CS180 iterative_denoise: steps ts[i] -> ts[i+1] from i_start, no thresholding, noise in every step."""
    for i in range(i_start, len(ts) - 1):
        t, prev = ts[i], ts[i + 1]
        eps, v = predict(x, t)
        x = ddpm_step(x, eps, v, t, prev, gaussian(SEED, f"{loop} step t={t}", index, x.shape))
        if after_step is not None:
            x = after_step(x, prev)
    return x


def diffusers_loop(x, ts, predict, loop, index, max_value):
    """IF pipeline + DDPMScheduler.step: every entry, prev -1 after the last, thresholded, noise only if t > 0."""
    for i, t in enumerate(ts):
        prev = ts[i + 1] if i + 1 < len(ts) else -1
        eps, v = predict(x, t)
        z = gaussian(SEED, f"{loop} step t={t}", index, x.shape) if t > 0 else None
        x = ddpm_step(x, eps, v, t, prev, z, max_value)
    return x


def leading(n):
    """set_timesteps(n), timestep_spacing 'leading', steps_offset 0."""
    return [(n - 1 - k) * (1000 // n) for k in range(n)]


def noise64(stream, index=0):
    return gaussian(SEED, stream, index, (3, 64, 64))


# ---------------------------------------------------------------- scenarios: (scenario, role) -> output [3, S, S]
def stage1_scenarios():
    x0 = input_image()
    p1 = [(P1, "identity")]
    out = {("X0", "original"): x0}
    xt = forward(x0, 750, noise64("forward t=750"))
    eps, _ = predictor(unet1, p1, 1, True)(xt, 750)
    out[("C1", "one_step t=750")] = predict_x0(xt, eps, 750)
    eps, _ = predictor(unet1, p1, 1, False)(xt, 750)
    out[("D2", "one_step t=750")] = threshold(predict_x0(xt, eps, 750), MAX_VALUE[64])
    out[("C2", "iterative")] = course_loop(xt, L, 1, predictor(unet1, p1, 1, True), "iterative", 0)
    for i in range(2):
        out[("C3", f"sample {i + 1}")] = course_loop(noise64("sample init", i), L, 0, predictor(unet1, p1, 7, True),
                                                     "sample", i)
    out[("C4", "sample 1")] = course_loop(noise64("sample init"), L, 0, predictor(unet1, p1, 0.5, True), "sample", 0)
    x510 = forward(x0, 510, noise64("forward t=510"))
    out[("C5", "i_start=2")] = course_loop(x510, L, 2, predictor(unet1, p1, 7, True), "sdedit i_start=2", 0)
    m = inpaint_mask()

    def keep_known(x, prev):
        return m * x + (1 - m) * forward(x0, prev, noise64(f"inpaint known t={prev}"))

    out[("C6", "inpainted 1")] = course_loop(noise64("inpaint init"), L, 0, predictor(unet1, p1, 7, True), "inpaint",
                                             0, keep_known)
    for name, view in [("C7", "flip"), ("C8", "rot90"), ("C9", "negate")]:
        pred = predictor(unet1, [(P1, "identity"), (P2, view)], 7, True)
        out[(name, "anagram 1")] = course_loop(noise64("anagram init"), L, 0, pred, "anagram", 0)
    pred = predictor(unet1, [(P1, "identity"), (P2, "identity")], 7, True, hybrid_of(33, 2.0))
    out[("C10", "hybrid 1")] = course_loop(noise64("hybrid init"), L, 0, pred, "hybrid", 0)
    out[("D1", "sample 1")] = diffusers_loop(noise64("sample init"), leading(5), predictor(unet1, p1, 7, False),
                                             "sample", 0, MAX_VALUE[64])
    return out


def upscale(branches, g, noise_level, sampler, ts, combine=mean_of):
    """Stage II on the input image: u, u_noisy at the noise level, x_T, loop 'stage2' with [x_t | u_noisy]."""
    u = bilinear_align_corners(input_image(), 256)
    u_noisy = forward(u, noise_level, gaussian(SEED, "stage2 noise_level", 0, (3, 256, 256)))
    x = gaussian(SEED, "stage2 init", 0, (3, 256, 256))
    pred = predictor(unet2, branches, g, sampler == "course", combine, cond=u_noisy, label=noise_level)
    if sampler == "course":
        return course_loop(x, ts, 0, pred, "stage2", 0)
    return diffusers_loop(x, ts, pred, "stage2", 0, MAX_VALUE[256])


def stage2_scenarios():
    return {
        ("S1", "upscaled"): upscale([(P1, "identity")], 4, 250, "diffusers", leading(4)),
        ("S2", "upscaled"): upscale([(P1, "identity"), (P2, "flip")], 4, 50, "diffusers", leading(4)),
        ("S3", "upscaled"): upscale([(P1, "identity")], 4, 250, "course", [750, 500, 250, 0]),
        # The hybrid's 64 px low-pass (33, sigma 2) scaled by 256 / 64: kernel 129, sigma 8.
        ("S4", "upscaled"): upscale([(P1, "identity"), (P2, "identity")], 4, 50, "course", [750, 500, 250, 0],
                                    hybrid_of(129, 8.0)),
    }


# ---------------------------------------------------------------- output
def expected(scenario, role, arr):
    f = arr.astype(np.float32).reshape(-1).astype(np.float64)
    idx = INDEX[arr.shape[1]]
    return dict(scenario=scenario, role=role, index=idx, value=[float(f[i]) for i in idx], sum=float(f.sum()),
                sq=float((f * f).sum()), min=float(f.min()), max=float(f.max()))


def java_source(entries):
    def doubles(vals):
        """The layout palantir-java-format gives: inline, else all values on one line, else one value a line."""
        inline = "                    new double[] {" + ", ".join(repr(v) for v in vals) + "},"
        if len(inline) <= 120:
            return inline[20:-1]
        one_line = "                        " + ", ".join(repr(v) for v in vals)
        body = one_line if len(one_line) <= 120 else ",\n".join(f"                        {v!r}" for v in vals)
        return "new double[] {\n" + body + "\n                    }"

    rows = ",\n".join(
        f'            new Expected(\n                    "{e["scenario"]}",\n                    "{e["role"]}",\n'
        f'                    new int[] {{{", ".join(str(i) for i in e["index"])}}},\n'
        f'                    {doubles(e["value"])},\n'
        f'                    {e["sum"]!r},\n                    {e["sq"]!r},\n'
        f'                    {e["min"]!r},\n                    {e["max"]!r})' for e in entries)
    return f"""package io.campanile.system;

import java.util.List;

/**
 * Expected outputs of the system test's jobs on the test packs (seed 7), one entry per scenario and output role:
 * values of the float32 output tensor [3, S, S] at C-order indices, and its sum, sum of squares, min and max.
 *
 * <p>Generated by {{@code system-tests/src/test/python/golden_trajectories.py --java <this file>}}, an independent
 * numpy reference; do not edit by hand, change the script and run it again.
 */
final class GoldenValues {{

    /** One expected output tensor of a scenario. */
    record Expected(
            String scenario,
            String role,
            int[] index,
            double[] value,
            double sum,
            double sumOfSquares,
            double min,
            double max) {{}}

    static final List<Expected> ALL = List.of(
{rows});

    private GoldenValues() {{}}
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--java", help="write GoldenValues.java here")
    args = parser.parse_args()
    check_noise()
    outputs = {**stage1_scenarios(), **stage2_scenarios()}
    entries = [expected(s, r, a) for (s, r), a in outputs.items()]
    for e in entries:
        note = ""
        if e["scenario"] == "C1":
            note = f"  exceeds [-1, 1]: {e['min'] < -1 or e['max'] > 1}"
        print(f"{e['scenario']:>4} {e['role']:<16} min={e['min']:+.6f} max={e['max']:+.6f} "
              f"sum={e['sum']:+.6e}{note}")
    if args.java:
        with open(args.java, "w", encoding="utf-8") as f:
            f.write(java_source(entries))


if __name__ == "__main__":
    main()
