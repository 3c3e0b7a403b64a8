#!/usr/bin/env python3
"""PyTorch reference for the trainer benchmark: the course's class-conditioned UNet (CS180 project 5 part B) on CPU.

Times training steps (Adam, MSE on random batches) and DDPM sampling with classifier-free guidance, exactly as
io.campanile.trainer.cli.Benchmark does for the Deeplearning4j trainer, and prints one JSON line:
{"train_images_per_s": ..., "sample_seconds": ..., "sample_steps": ..., "threads": ..., "torch": ...}

    python3 trainer/bench/torch_reference.py [--hidden-dim 64] [--batch-size 128] [--steps 10] [--sample-steps 300]
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn


class Conv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(i, o, 3, 1, 1), nn.BatchNorm2d(o), nn.GELU())

    def forward(self, x):
        return self.net(x)


class DownConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(i, o, 3, 2, 1), nn.BatchNorm2d(o), nn.GELU())

    def forward(self, x):
        return self.net(x)


class UpConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(nn.ConvTranspose2d(i, o, 4, 2, 1), nn.BatchNorm2d(o), nn.GELU())

    def forward(self, x):
        return self.net(x)


class Flatten(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.AvgPool2d(7), nn.GELU())

    def forward(self, x):
        return self.net(x)


class Unflatten(nn.Module):
    def __init__(self, i):
        super().__init__()
        self.net = nn.Sequential(nn.ConvTranspose2d(i, i, 7, 7, 0), nn.BatchNorm2d(i), nn.GELU())

    def forward(self, x):
        return self.net(x)


class ConvBlock(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(Conv(i, o), Conv(o, o))

    def forward(self, x):
        return self.net(x)


class DownBlock(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(DownConv(i, o), ConvBlock(o, o))

    def forward(self, x):
        return self.net(x)


class UpBlock(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(UpConv(i, o), ConvBlock(o, o))

    def forward(self, x):
        return self.net(x)


class FCBlock(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(i, o), nn.GELU(), nn.Linear(o, o))

    def forward(self, x):
        return self.net(x)


class ClassConditionalUNet(nn.Module):
    def __init__(self, in_channels=1, num_classes=10, d=64):
        super().__init__()
        self.e1 = ConvBlock(in_channels, d)
        self.e2 = DownBlock(d, d)
        self.e3 = DownBlock(d, 2 * d)
        self.flatten = Flatten()
        self.unflatten = Unflatten(2 * d)
        self.u1 = UpBlock(4 * d, d)
        self.u2 = UpBlock(2 * d, d)
        self.u3 = ConvBlock(2 * d, d)
        self.out = nn.Conv2d(d, in_channels, 3, 1, 1)
        self.fc_t1, self.fc_t2 = FCBlock(1, 2 * d), FCBlock(1, d)
        self.fc_c1, self.fc_c2 = FCBlock(num_classes, 2 * d), FCBlock(num_classes, d)

    def forward(self, x, c, t):
        t1 = self.fc_t1(t)[:, :, None, None]
        t2 = self.fc_t2(t)[:, :, None, None]
        c1 = self.fc_c1(c)[:, :, None, None]
        c2 = self.fc_c2(c)[:, :, None, None]
        e1 = self.e1(x)
        e2 = self.e2(e1)
        e3 = self.e3(e2)
        u0 = c1 * self.unflatten(self.flatten(e3)) + t1
        u1 = c2 * self.u1(torch.cat([e3, u0], 1)) + t2
        u2 = self.u2(torch.cat([e2, u1], 1))
        u3 = self.u3(torch.cat([e1, u2], 1))
        return self.out(u3)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hidden-dim", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--sample-steps", type=int, default=300)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = ClassConditionalUNet(d=a.hidden_dim)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    b = a.batch_size
    x = torch.randn(b, 1, 28, 28)
    target = torch.randn(b, 1, 28, 28)
    t = torch.randint(0, 300, (b, 1)).float() / 300
    c = nn.functional.one_hot(torch.randint(0, 10, (b,)), 10).float()

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x, c, t), target)
        loss.backward()
        opt.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    train_secs = time.perf_counter() - start

    result = {"train_images_per_s": a.steps * b / train_secs, "threads": a.threads, "torch": torch.__version__}
    if a.sample_steps > 0:
        model.eval()
        n = 40
        classes = nn.functional.one_hot(torch.arange(n) % 10, 10).float()
        betas = torch.linspace(1e-4, 0.02, 300)
        alphas = 1 - betas
        abar = torch.cumprod(alphas, 0)
        start = time.perf_counter()
        with torch.no_grad():
            img = torch.randn(n, 1, 28, 28)
            cc = torch.cat([classes, torch.zeros_like(classes)])
            for i in range(a.sample_steps):
                ts = 299 - i * 300 // a.sample_steps
                tt = torch.full((2 * n, 1), ts / 300)
                eps = model(torch.cat([img, img]), cc, tt)
                e = eps[n:] + 5.0 * (eps[:n] - eps[n:])
                mean = (img - betas[ts] / (1 - abar[ts]).sqrt() * e) / alphas[ts].sqrt()
                img = mean + (betas[ts].sqrt() * torch.randn_like(img) if ts > 0 else 0)
        result["sample_seconds"] = time.perf_counter() - start
        result["sample_steps"] = a.sample_steps
    print(json.dumps(result))


if __name__ == "__main__":
    main()
