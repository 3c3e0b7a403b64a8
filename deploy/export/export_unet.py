#!/usr/bin/env python3
"""Exports a DeepFloyd IF UNet (stage I or stage II) from diffusers to a campanile model pack.

    python deploy/export/export_unet.py --stage 1 --out .campanile/packs           # DeepFloyd/IF-I-XL-v1.0
    python deploy/export/export_unet.py --stage 1 --model DeepFloyd/IF-I-L-v1.0 --out .campanile/packs
    python deploy/export/export_unet.py --stage 2 --out .campanile/packs           # DeepFloyd/IF-II-L-v1.0

Contract (what stage1-worker / stage2-worker feed and read), all with a dynamic batch B:
    stage I : sample f32 (B,3,64,64), timestep i64 (B,), encoder_hidden_states f32 (B,77,4096) -> out_sample (B,6,64,64)
    stage II: sample f32 (B,6,256,256), timestep i64 (B,), encoder_hidden_states f32 (B,77,4096),
              class_labels i64 (B,) (the noise level of the upscaled image)               -> out_sample (B,6,256,256)
The output's first three channels are epsilon, the last three the learned-range variance interpolation.
The manifest names the T5 pack the states come from (text_encoder, default t5-v1_1-xxl) and marks stage II as an
upscaler, which the gateway and stage2-worker require of the model of an upscale job.
Weights are exported in fp32 (17.2 GB for IF-I-XL): plan about 3x that in RAM on the export machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import packs
from packs import BATCH, ExportOptions, TensorSpec

# Stage II is an upscaler: its sample is [x_t | upscaled image] (6 channels) and it takes class_labels (noise level).
STAGES = {
    1: dict(model="DeepFloyd/IF-I-XL-v1.0", image_size=64, sample_channels=3, sample_max_value=1.5, class_labels=False,
            upscaler=False, name="I"),
    2: dict(model="DeepFloyd/IF-II-L-v1.0", image_size=256, sample_channels=6, sample_max_value=1.0, class_labels=True,
            upscaler=True, name="II"),
}
TOKENS = packs.T5_TOKENS
ONNX_FILE = "unet.onnx"


def contract(size: int, sample_channels: int, out_channels: int, width: int, class_labels: bool):
    inputs = [TensorSpec("sample", "float32", (BATCH, sample_channels, size, size)),
              TensorSpec("timestep", "int64", (BATCH,)),
              TensorSpec("encoder_hidden_states", "float32", (BATCH, TOKENS, width))]
    if class_labels:
        inputs.append(TensorSpec("class_labels", "int64", (BATCH,)))
    return inputs, [TensorSpec("out_sample", "float32", (BATCH, out_channels, size, size))]


def wrap(unet, class_labels: bool):
    """A module with the contract's positional inputs that returns the UNet's sample tensor."""
    import torch

    class StageOne(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.unet = unet

        def forward(self, sample, timestep, encoder_hidden_states):
            return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, return_dict=False)[0]

    class StageTwo(StageOne):
        def forward(self, sample, timestep, encoder_hidden_states, class_labels):
            return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states,
                             class_labels=class_labels, return_dict=False)[0]

    return (StageTwo if class_labels else StageOne)().eval()


def example_inputs(size: int, sample_channels: int, width: int, class_labels: bool, batch: int = 2, seed: int = 0):
    """A fixed random input: noise in the sample's range, two different timesteps, embeddings like T5's."""
    import torch

    g = torch.Generator().manual_seed(seed)
    sample = torch.randn(batch, sample_channels, size, size, generator=g)
    timestep = torch.tensor([999, 250][:batch] + [500] * max(0, batch - 2), dtype=torch.int64)
    hidden = torch.randn(batch, TOKENS, width, generator=g) * 0.2
    args = [sample, timestep, hidden]
    if class_labels:
        args.append(torch.full((batch,), 250, dtype=torch.int64))
    return tuple(args)


def unet_manifest(pack_id: str, stage: int, size: int, width: int, output: str, scheduler: dict,
                  text_encoder: str = packs.T5_PACK_ID, description: str | None = None) -> dict:
    """The manifest of a stage's pack, fields in the order libs/packs writes them (no torch needed)."""
    manifest = {
        "id": pack_id,
        "kind": "unet",
        "onnx": ONNX_FILE,
        "image_size": size,
        "channels": 3,
        "value_range": "[-1,1]",
        "scheduler": scheduler,
        "conditioning": "t5",
        "embedding_shape": [TOKENS, width],
        "output": output,
    }
    if description:
        manifest["description"] = description
    manifest["text_encoder"] = text_encoder
    if STAGES[stage]["upscaler"]:
        manifest["upscaler"] = True
    return manifest


def export_pack(unet, scheduler_config: dict, pack_id: str, stage: int, out_root: Path, options: ExportOptions,
                source: dict, log=print, text_encoder: str = packs.T5_PACK_ID) -> Path:
    """Exports one UNet to out_root/pack_id and runs every check; raises PackError when one fails.

    text_encoder: the id of the text-encoder pack whose states the UNet takes (the T5 XXL pack for the IF models).
    """
    import torch

    packs.disable_tf32()
    spec = STAGES[stage]
    cfg = unet.config
    size = int(cfg.sample_size)
    width = int(getattr(cfg, "encoder_hid_dim", None) or cfg.cross_attention_dim)
    out_channels = int(cfg.out_channels)
    image_channels = 3
    if size != spec["image_size"] or int(cfg.in_channels) != spec["sample_channels"]:
        raise packs.PackError(f"stage {stage} UNet is {cfg.in_channels}x{size}px, expected "
                              f"{spec['sample_channels']}x{spec['image_size']}px")
    if text_encoder == packs.T5_PACK_ID and width != packs.T5_WIDTH:
        raise packs.PackError(f"UNet takes states of width {width}, the {packs.T5_PACK_ID} pack gives "
                              f"{packs.T5_WIDTH}: name its own text-encoder pack")
    output = "epsilon_variance" if out_channels == 2 * image_channels else "epsilon"
    if output == "epsilon" and out_channels != image_channels:
        raise packs.PackError(f"UNet has {out_channels} output channels")
    scheduler = packs.scheduler_from_config(scheduler_config, spec["sample_max_value"])
    inputs, outputs = contract(size, spec["sample_channels"], out_channels, width, spec["class_labels"])

    model = wrap(unet, spec["class_labels"])
    if hasattr(unet, "set_default_attn_processor"):
        unet.set_default_attn_processor()  # plain attention: the fused SDPA processors trace less reliably
    args = example_inputs(size, spec["sample_channels"], width, spec["class_labels"])
    with torch.no_grad():
        reference = packs.run_step(log, "PyTorch reference", model, *args).float().numpy()
    out_dir = out_root / pack_id
    path = packs.run_step(log, "ONNX export", packs.export_onnx, model, args, inputs, outputs, out_dir, ONNX_FILE,
                          options)
    del model
    packs.free_torch()
    checks = packs.run_step(log, "onnx.checker and signature", packs.check_onnx, path, inputs, outputs)
    feeds = {t.name: a.numpy() for t, a in zip(inputs, args)}
    checks["parity"] = packs.run_step(log, "ONNX Runtime parity", packs.parity, path, feeds, reference, options)
    description = (f"DeepFloyd IF stage {spec['name']} UNet ({source.get('model')}, {size} px), fp32 ONNX exported "
                   f"by deploy/export/export_unet.py")
    manifest = unet_manifest(pack_id, stage, size, width, output, scheduler, text_encoder, description)
    packs.write_pack(out_dir, manifest, {"source": source, "stage": stage, "opset": options.opset,
                                         "exporter": options.exporter, "checks": checks,
                                         "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    log(f"pack {out_dir} written: {checks['parity']}")
    return out_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", type=int, choices=(1, 2), required=True)
    parser.add_argument("--model", help="Hugging Face id or local folder (default: the stage's IF model)")
    parser.add_argument("--id", help="pack id (default: the model's name, e.g. IF-I-XL-v1.0)")
    parser.add_argument("--text-encoder", default=packs.T5_PACK_ID,
                        help=f"id of the text-encoder pack whose states the UNet takes (default {packs.T5_PACK_ID})")
    packs.add_export_arguments(parser)
    a = parser.parse_args(argv)

    import torch
    from diffusers import DDPMScheduler, UNet2DConditionModel

    packs.disable_tf32()
    model_id = a.model or STAGES[a.stage]["model"]
    pack_id = a.id or model_id.rstrip("/").split("/")[-1]
    unet = UNet2DConditionModel.from_pretrained(model_id, subfolder="unet", revision=a.revision,
                                                torch_dtype=torch.float32).eval()
    scheduler = DDPMScheduler.from_pretrained(model_id, subfolder="scheduler", revision=a.revision)
    options = packs.export_options(a)
    try:
        export_pack(unet, dict(scheduler.config), pack_id, a.stage, a.out, options,
                    {"model": model_id, "revision": a.revision, "subfolder": "unet"}, text_encoder=a.text_encoder)
    except packs.PackError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
