"""Independent reference values for DdpmSchedulerGoldenTest (numpy only, no torch, no Java).

Re-implements diffusers' DDPMScheduler (squaredcos_cap_v2, 1000 steps, epsilon prediction, custom timesteps)
in float64 on float32 inputs and float32 alphas_cumprod. Run: python3 golden_scheduler.py
The printed numbers are pasted into src/test/java/.../schedule/DdpmSchedulerGoldenTest.java.
"""
import math

import numpy as np

T = 1000
SHAPE = (2, 3, 4, 4)
N = int(np.prod(SHAPE))
IDX = [0, 17, 50, 95]


def alphas_cumprod():
    def abar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = np.array([min(1 - abar((i + 1) / T) / abar(i / T), 0.999) for i in range(T)], dtype=np.float32)
    alphas = np.float32(1.0) - betas
    return np.cumprod(alphas.astype(np.float64)).astype(np.float32)


AC = alphas_cumprod().astype(np.float64)


def inputs(x_scale=1.0):
    i = np.arange(N, dtype=np.float64)
    f32 = lambda a: a.astype(np.float32).astype(np.float64).reshape(SHAPE)
    return (f32(x_scale * np.sin(0.37 * i)), f32(np.cos(0.11 * i)), f32(np.sin(0.05 * i)), f32(np.cos(0.7 * i)))


def predict_original(xt, eps, t, thresholding, ratio, max_value):
    a = AC[t]
    x0 = (xt - math.sqrt(1 - a) * eps) / math.sqrt(a)
    if not thresholding:
        return x0, None
    flat = x0.reshape(x0.shape[0], -1)
    s = np.quantile(np.abs(flat), ratio, axis=1, method="linear")
    s = np.clip(s, 1.0, max_value)
    out = np.clip(flat, -s[:, None], s[:, None]) / s[:, None]
    return out.reshape(x0.shape), s


def step(xt, eps, v, noise, t, prev_t, variance_type, thresholding=True, max_value=1.5):
    a = AC[t]
    a_prev = AC[prev_t] if prev_t >= 0 else 1.0
    alpha = a / a_prev
    beta = 1 - alpha
    x0, _ = predict_original(xt, eps, t, thresholding, 0.95, max_value)
    mean = math.sqrt(a_prev) * beta / (1 - a) * x0 + math.sqrt(alpha) * (1 - a_prev) / (1 - a) * xt
    if t == 0:
        return mean
    posterior = max((1 - a_prev) / (1 - a) * beta, 1e-20)
    if variance_type == "fixed_small":
        std = math.sqrt(posterior)
    elif variance_type == "fixed_large":
        std = math.sqrt(beta)
    else:
        frac = (v + 1) / 2
        std = np.exp(0.5 * (frac * math.log(beta) + (1 - frac) * math.log(posterior)))
    return mean + std * noise


def describe(label, arr):
    flat = arr.reshape(-1)
    elems = ", ".join(f"{float(flat[k])!r}" for k in IDX)
    print(f"{label}: sum={float(flat.sum())!r} abs={float(np.abs(flat).sum())!r} sq={float((flat * flat).sum())!r} elems=[{elems}]")


def main():
    for t in [0, 30, 250, 390, 500, 660, 690, 750, 990, 999]:
        print(f"abar[{t}] = {float(AC[t])!r}")
    xt, eps, v, noise = inputs()
    for t in [690, 30]:
        x0, s = predict_original(xt, eps, t, True, 0.95, 1.5)
        print(f"x0 t={t} s={[float(q) for q in s]!r}")
        describe(f"x0 t={t}", x0)
    xs, _, _, _ = inputs(1.3)
    x0, s = predict_original(xs, eps, 30, True, 0.95, 1.5)
    print(f"x0 scaled1.3 t=30 s={[float(q) for q in s]!r}")
    describe("x0 scaled1.3 t=30", x0)
    for t, prev_t in [(690, 660), (30, 0), (0, -1)]:
        for vt in ["learned_range", "fixed_small", "fixed_large"]:
            describe(f"step {vt} t={t} prev={prev_t}", step(xt, eps, v, noise, t, prev_t, vt))
    describe("step learned_range t=690 prev=660 stage2", step(xt, eps, v, noise, 690, 660, "learned_range",
                                                                max_value=1.0))
    describe("step fixed_large t=690 prev=660 nothreshold", step(xt, eps, v, noise, 690, 660, "fixed_large",
                                                                  thresholding=False))


if __name__ == "__main__":
    main()
