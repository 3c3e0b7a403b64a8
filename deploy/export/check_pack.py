#!/usr/bin/env python3
"""Checks model packs where they will be served from (after a copy to a volume, before a rollout).

    python deploy/export/check_pack.py /packs/IF-I-XL-v1.0 /packs/IF-II-L-v1.0 /packs/t5-v1_1-xxl [--no-hash]

Needs only onnx (no torch). Per pack: manifest.json against its schema; every file of export-info.json present with
its size and SHA-256 (skip the hashing with --no-hash); onnx.checker on the graph with its external data; the graph's
inputs and outputs against the manifest. Exit status 1 when a pack fails.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import packs
from packs import BATCH, TensorSpec


def expected_signature(m: dict, graph_inputs: list):
    """The contract implied by a manifest, as libs/onnx UnetModel derives it: an upscaler (IF stage II) is a pack with
    "upscaler": true, or a t5 UNet whose graph takes class_labels."""
    tokens, width = m["embedding_shape"]
    if m["kind"] == "text-encoder":
        return ([TensorSpec("input_ids", "int64", (BATCH, tokens)), TensorSpec("attention_mask", "int64", (BATCH, tokens))],
                [TensorSpec("last_hidden_state", "float32", (BATCH, tokens, width))])
    size, channels = m["image_size"], m["channels"]
    # IF stage II: sample is [x_t | upscaled image], class_labels the noise level.
    upscaler = m.get("upscaler") is True or m["conditioning"] == "t5" and "class_labels" in graph_inputs
    inputs = [TensorSpec("sample", "float32", (BATCH, 2 * channels if upscaler else channels, size, size)),
              TensorSpec("timestep", "int64", (BATCH,))]
    if m["conditioning"] == "t5":
        inputs.append(TensorSpec("encoder_hidden_states", "float32", (BATCH, tokens, width)))
    elif m["conditioning"] == "class":
        inputs.append(TensorSpec("class_vector", "float32", (BATCH, width)))
    if upscaler:
        inputs.append(TensorSpec("class_labels", "int64", (BATCH,)))
    out = 2 * channels if m["output"] == "epsilon_variance" else channels
    return inputs, [TensorSpec("out_sample", "float32", (BATCH, out, size, size))]


def check(pack: Path, hashes: bool = True) -> None:
    import onnx

    manifest = json.loads((pack / packs.MANIFEST_FILE).read_text(encoding="utf-8"))
    packs.check_manifest(manifest)
    info_file = pack / "export-info.json"
    files = json.loads(info_file.read_text(encoding="utf-8")).get("files", {}) if info_file.exists() else {}
    if manifest["onnx"] not in files and info_file.exists():
        raise packs.PackError(f"export-info.json does not list {manifest['onnx']}")
    for name, meta in files.items():
        f = pack / name
        if not f.is_file() or f.stat().st_size != meta["bytes"]:
            raise packs.PackError(f"{name} is missing or has the wrong size")
        if hashes and packs.sha256(f) != meta["sha256"]:
            raise packs.PackError(f"{name} does not match its SHA-256")
    path = pack / manifest["onnx"]
    graph = onnx.load(str(path), load_external_data=False).graph
    initializers = {i.name for i in graph.initializer}
    names = [v.name for v in graph.input if v.name not in initializers]
    inputs, outputs = expected_signature(manifest, names)
    packs.check_onnx(path, inputs, outputs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("packs", type=Path, nargs="+")
    parser.add_argument("--no-hash", action="store_true")
    a = parser.parse_args(argv)
    failed = 0
    for pack in a.packs:
        try:
            check(pack, hashes=not a.no_hash)
            print(f"ok      {pack}")
        except (packs.PackError, OSError, ValueError, KeyError) as e:
            failed += 1
            print(f"FAILED  {pack}: {e}", file=sys.stderr)
        except Exception as e:  # onnx.checker raises its own ValidationError
            failed += 1
            print(f"FAILED  {pack}: {type(e).__name__}: {e}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
