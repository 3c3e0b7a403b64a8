#!/usr/bin/env python3
"""Runs the exporters end to end on tiny random models of the same classes: no weights, no network.

    python deploy/export/selftest.py [--exporter dynamo]   # torch, onnx, onnxruntime, transformers; diffusers optional

With diffusers installed the UNets are miniature IF UNets (UNet2DConditionModel with IF's block types, text
projection and, for stage II, the timestep class embedding); without it, a small stand-in module with the same call
signature exercises the same export, checks and manifest code. Then it corrupts packs and expects the checks to fail.
"""
from __future__ import annotations

import json
import sys
import tempfile
import types
from pathlib import Path

import check_pack
import export_text_encoder
import export_unet
import packs
from packs import ExportOptions

WIDTH = 32  # stands in for T5's 4096


def tiny_unet(stage: int):
    """A miniature IF UNet (diffusers) or a stand-in with its call signature and config."""
    import torch

    size = export_unet.STAGES[stage]["image_size"]
    in_ch = export_unet.STAGES[stage]["sample_channels"]
    torch.manual_seed(stage)
    try:
        from diffusers import UNet2DConditionModel
    except ImportError:
        return StandIn(size, in_ch, class_labels=stage == 2).eval(), "stand-in (no diffusers)"
    try:
        unet = UNet2DConditionModel(
            sample_size=size, in_channels=in_ch, out_channels=6, layers_per_block=1, block_out_channels=(32, 64),
            down_block_types=("ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D"),
            up_block_types=("SimpleCrossAttnUpBlock2D", "ResnetUpsampleBlock2D"),
            mid_block_type="UNetMidBlock2DSimpleCrossAttn", cross_attention_dim=64, encoder_hid_dim=WIDTH,
            attention_head_dim=8, addition_embed_type="text", addition_embed_type_num_heads=2,
            resnet_time_scale_shift="scale_shift", only_cross_attention=False, norm_num_groups=8,
            class_embed_type="timestep" if stage == 2 else None)
    except (TypeError, ValueError) as e:  # a diffusers version with other arguments: the stand-in still runs
        print(f"miniature IF UNet unavailable ({e}); using the stand-in")
        return StandIn(size, in_ch, class_labels=stage == 2).eval(), "stand-in"
    return unet.eval(), "diffusers UNet2DConditionModel (miniature IF)"


def StandIn(size: int, in_ch: int, class_labels: bool):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.config = types.SimpleNamespace(sample_size=size, in_channels=in_ch, out_channels=6,
                                                encoder_hid_dim=WIDTH, cross_attention_dim=WIDTH)
            self.conv_in = nn.Conv2d(in_ch, 16, 3, padding=1)
            self.time = nn.Linear(1, 16)
            self.text = nn.Linear(WIDTH, 16)
            self.label = nn.Linear(1, 16)
            self.conv_out = nn.Conv2d(16, 6, 3, padding=1)

        def forward(self, sample, timestep, encoder_hidden_states, class_labels=None, return_dict=True):
            h = self.conv_in(sample)
            cond = self.time(timestep.float()[:, None] / 1000) + self.text(encoder_hidden_states.mean(dim=1))
            if class_labels is not None:
                cond = cond + self.label(class_labels.float()[:, None] / 1000)
            out = self.conv_out(torch.nn.functional.gelu(h + cond[:, :, None, None]))
            return (out,)

    return Net()


def if_scheduler(stage: int) -> dict:
    return dict(packs.IF_SCHEDULER, sample_max_value=export_unet.STAGES[stage]["sample_max_value"],
                prediction_type="epsilon")


def tiny_t5():
    import torch
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(3)
    config = T5Config(vocab_size=512, d_model=WIDTH, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
                      feed_forward_proj="gated-gelu", is_encoder_decoder=False, use_cache=False)
    return T5EncoderModel(config).eval()


def expect_failure(what: str, fn) -> None:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any failure is the expected outcome here
        print(f"ok: {what} is rejected ({type(e).__name__}: {str(e)[:100]})")
        return
    raise AssertionError(f"{what} was accepted")


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exporter", choices=("torchscript", "dynamo"), default="torchscript")
    exporter = parser.parse_args(argv).exporter
    options = ExportOptions(opset=packs.default_opset(exporter), exporter=exporter)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        made = []
        for stage in (1, 2):
            unet, kind = tiny_unet(stage)
            print(f"stage {stage}: {kind}")
            made.append(export_unet.export_pack(unet, if_scheduler(stage), f"tiny-stage{stage}", stage, out, options,
                                                {"model": "selftest"}, text_encoder="tiny-t5"))
        made.append(export_text_encoder.export_pack(tiny_t5(), None, [], "tiny-t5", out, options, {"model": "selftest"}))
        for pack in made:
            check_pack.check(pack)
            m = json.loads((pack / packs.MANIFEST_FILE).read_text())
            print(f"ok: {pack.name} passes check_pack; manifest {m}")
            assert (pack / (m["onnx"] + ".data")).is_file(), "weights must be external data"
        stage1, stage2 = (json.loads((p / packs.MANIFEST_FILE).read_text()) for p in made[:2])
        assert "upscaler" not in stage1 and stage2["upscaler"] is True, "stage II, and only it, is an upscaler"
        assert stage1["text_encoder"] == stage2["text_encoder"] == "tiny-t5", "the UNets name their text encoder"

        unet, _ = tiny_unet(1)
        expect_failure("a scheduler the workers do not implement", lambda: export_unet.export_pack(
            unet, dict(if_scheduler(1), variance_type="fixed_small"), "bad", 1, out, options, {},
            text_encoder="tiny-t5"))
        expect_failure("a stage-II model exported as stage I", lambda: export_unet.export_pack(
            tiny_unet(2)[0], if_scheduler(1), "bad", 1, out, options, {}, text_encoder="tiny-t5"))
        expect_failure("a UNet whose states are not T5 XXL's, named as taking the T5 XXL pack's",
                       lambda: export_unet.export_pack(unet, if_scheduler(1), "bad", 1, out, options, {}))
        expect_failure("an ONNX Runtime result far from PyTorch", lambda: packs.parity(
            made[0] / "unet.onnx", {"sample": __import__("numpy").zeros((2, 3, 64, 64), "float32"),
                                    "timestep": __import__("numpy").array([999, 250]),
                                    "encoder_hidden_states": __import__("numpy").zeros((2, 77, WIDTH), "float32")},
            __import__("numpy").ones((2, 6, 64, 64)) * 100, options))
        data = made[1] / "unet.onnx.data"
        data.write_bytes(data.read_bytes()[:-4])
        expect_failure("a pack with truncated weights", lambda: check_pack.check(made[1]))
        manifest = made[2] / packs.MANIFEST_FILE
        manifest.write_text(json.dumps(dict(json.loads(manifest.read_text()), kind="unet")))
        expect_failure("a manifest of the wrong kind", lambda: check_pack.check(made[2], hashes=False))
    print("selftest passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
