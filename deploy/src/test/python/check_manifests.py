"""The Python manifest schema against the packs the repository ships; run by deploy's ExportScriptsTest.

    PYTHONPATH=deploy/export python3 deploy/src/test/python/check_manifests.py <repository root>

Needs only the standard library (packs.py and the exporters import torch, onnx and numpy inside the functions that
use them). Checks, printing one line each and exiting 1 when one fails:
  - every packs/*/manifest.json passes packs.check_manifest (the schema of libs/packs PackManifest);
  - the manifests the exporters write for IF-I-XL-v1.0, IF-II-L-v1.0 and t5-v1_1-xxl equal the shipped ones, field by
    field and in the same order (description aside: the shipped ones say the weights are not in the repository);
  - manifests with an unknown, missing or mistyped field are rejected.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import export_text_encoder
import export_unet
import packs

failures = []


def ok(what: str) -> None:
    print(f"ok: {what}")


def fail(what: str) -> None:
    print(f"FAILED: {what}")
    failures.append(what)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def same(what: str, made: dict, shipped: dict) -> None:
    made = dict(made, description=shipped.get("description")) if "description" in shipped else made
    try:
        packs.check_manifest(made)
    except packs.PackError as e:
        fail(f"{what}: the exporter's manifest fails its own schema: {e}")
        return
    if made != shipped or list(made) != list(shipped):
        fail(f"{what}: the exporter writes {json.dumps(made)}, the repository ships {json.dumps(shipped)}")
    else:
        ok(f"{what}: the exporter writes the shipped manifest")


def rejected(what: str, manifest: dict) -> None:
    try:
        packs.check_manifest(manifest)
    except packs.PackError as e:
        ok(f"{what} is rejected ({e})")
        return
    fail(f"{what} is accepted")


def main(root: Path) -> int:
    shipped = {p.parent.name: p for p in sorted((root / "packs").glob(f"*/{packs.MANIFEST_FILE}"))}
    if not shipped:
        fail(f"no packs/*/{packs.MANIFEST_FILE} under {root}")
    for name, path in shipped.items():
        try:
            packs.check_manifest(load(path))
            ok(f"packs/{name}/{packs.MANIFEST_FILE} passes packs.check_manifest")
        except packs.PackError as e:
            fail(f"packs/{name}/{packs.MANIFEST_FILE}: {e}")

    if_config = dict(packs.IF_SCHEDULER, prediction_type="epsilon")
    for stage, spec in export_unet.STAGES.items():
        pack_id = spec["model"].split("/")[-1]
        if pack_id not in shipped:
            fail(f"stage {stage}'s default pack {pack_id} is not in packs/")
            continue
        scheduler = packs.scheduler_from_config(dict(if_config, sample_max_value=spec["sample_max_value"]),
                                                spec["sample_max_value"])
        made = export_unet.unet_manifest(pack_id, stage, spec["image_size"], packs.T5_WIDTH, "epsilon_variance",
                                         scheduler, description="x")
        same(f"stage {stage} ({pack_id})", made, load(shipped[pack_id]))
    if export_text_encoder.PACK_ID in shipped:
        made = export_text_encoder.text_encoder_manifest(export_text_encoder.PACK_ID, packs.T5_WIDTH, description="x")
        same(f"T5 ({export_text_encoder.PACK_ID})", made, load(shipped[export_text_encoder.PACK_ID]))
    else:
        fail(f"the text encoder's default pack {export_text_encoder.PACK_ID} is not in packs/")

    stage2 = load(shipped.get("IF-II-L-v1.0", next(iter(shipped.values()))))
    t5 = load(shipped.get(export_text_encoder.PACK_ID, next(iter(shipped.values()))))
    rejected("an unknown field", dict(stage2, upscale=True))
    rejected("a missing image_size", {k: v for k, v in stage2.items() if k != "image_size"})
    rejected("upscaler that is not a boolean", dict(stage2, upscaler="yes"))
    rejected("an upscaler flag on a text encoder", dict(t5, upscaler=True))
    rejected("an unknown scheduler field", dict(stage2, scheduler=dict(stage2["scheduler"], clip_sample=True)))
    rejected("thresholding without sample_max_value",
             dict(stage2, scheduler={k: v for k, v in stage2["scheduler"].items() if k != "sample_max_value"}))
    rejected("learned_range with output epsilon", dict(stage2, output="epsilon"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
