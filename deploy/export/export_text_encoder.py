#!/usr/bin/env python3
"""Exports the T5 v1.1 XXL encoder that DeepFloyd IF conditions on to a campanile model pack (text-encoder).

    python deploy/export/export_text_encoder.py --out .campanile/packs     # from DeepFloyd/IF-I-XL-v1.0/text_encoder

Contract (what text-encoder feeds and reads), with a dynamic batch B:
    input_ids i64 (B,77), attention_mask i64 (B,77) -> last_hidden_state f32 (B,77,4096)
Exported in fp32: T5 overflows to inf/NaN in fp16. About 19 GB of weights; plan about 3x that in RAM.
The pack carries the SentencePiece model (spiece.model) and, when the tokenizer can produce it, tokenizer.json.
Prompts are tokenized to exactly 77 tokens: pad id 0, `</s>` (id 1) appended, truncated; "" encodes as [1, 0, ...].
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import packs
from packs import BATCH, ExportOptions, TensorSpec

MODEL = "DeepFloyd/IF-I-XL-v1.0"
PACK_ID = packs.T5_PACK_ID
TOKENS = packs.T5_TOKENS
ONNX_FILE = "text_encoder.onnx"
TOKENIZER_FILE = "spiece.model"
GOLDEN_PROMPTS = ["a high quality photo", "", "an oil painting of a snowy mountain village"]


def contract(width: int):
    return ([TensorSpec("input_ids", "int64", (BATCH, TOKENS)), TensorSpec("attention_mask", "int64", (BATCH, TOKENS))],
            [TensorSpec("last_hidden_state", "float32", (BATCH, TOKENS, width))])


def wrap(encoder):
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    return Encoder().eval()


def tokenize(tokenizer, prompts):
    """The text-encoder's tokenization: lower-cased and stripped like the IF pipeline, 77 tokens, with the mask."""
    enc = tokenizer([p.lower().strip() for p in prompts], padding="max_length", max_length=TOKENS, truncation=True,
                    add_special_tokens=True, return_tensors="pt")
    return enc["input_ids"].long(), enc["attention_mask"].long()


def check_tokenizer(tokenizer) -> dict:
    ids, mask = tokenize(tokenizer, [""])
    if ids[0, 0].item() != 1 or ids[0, 1:].any() or mask[0, 0].item() != 1 or mask[0, 1:].any():
        raise packs.PackError(f'"" must encode as [1, 0, ...] with mask [1, 0, ...], got {ids[0, :4].tolist()}')
    return {"empty_prompt": "[1, 0, ...]"}


def text_encoder_manifest(pack_id: str, width: int, description: str | None = None) -> dict:
    """The manifest of a text-encoder pack, fields in the order libs/packs writes them (no torch needed)."""
    manifest = {"id": pack_id, "kind": "text-encoder", "onnx": ONNX_FILE, "embedding_shape": [TOKENS, width],
                "tokenizer": TOKENIZER_FILE}
    if description:
        manifest["description"] = description
    return manifest


def export_pack(encoder, tokenizer, tokenizer_files: list, pack_id: str, out_root: Path, options: ExportOptions,
                source: dict, log=print) -> Path:
    """Exports the encoder to out_root/pack_id and runs every check; raises PackError when one fails."""
    import torch

    packs.disable_tf32()
    width = int(encoder.config.d_model)
    if pack_id == packs.T5_PACK_ID and width != packs.T5_WIDTH:
        raise packs.PackError(f"encoder width {width}: the {packs.T5_PACK_ID} pack must give {packs.T5_WIDTH}, which "
                              f"the IF UNets take")
    inputs, outputs = contract(width)
    checks = {}
    if tokenizer is not None:
        checks["tokenizer"] = check_tokenizer(tokenizer)
        ids, mask = tokenize(tokenizer, GOLDEN_PROMPTS)
    else:  # no tokenizer (self-test): random ids with a padded tail
        g = torch.Generator().manual_seed(0)
        ids = torch.randint(2, encoder.config.vocab_size, (2, TOKENS), generator=g)
        mask = torch.ones_like(ids)
        ids[1, 5:], mask[1, 5:] = 0, 0
    model = wrap(encoder)
    with torch.no_grad():
        reference = packs.run_step(log, "PyTorch reference", model, ids, mask).float().numpy()
    out_dir = out_root / pack_id
    path = packs.run_step(log, "ONNX export", packs.export_onnx, model, (ids, mask), inputs, outputs, out_dir,
                          ONNX_FILE, options)
    del model
    packs.free_torch()
    checks.update(packs.run_step(log, "onnx.checker and signature", packs.check_onnx, path, inputs, outputs))
    checks["parity"] = packs.run_step(log, "ONNX Runtime parity", packs.parity, path,
                                      {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}, reference, options)
    for f in tokenizer_files:
        shutil.copy2(f, out_dir / Path(f).name)
    golden = [{"prompt": p, "input_ids": ids[i][mask[i].bool()].tolist(), "sum": float(reference[i].sum()),
               "mean_abs": float(abs(reference[i]).mean())} for i, p in enumerate(GOLDEN_PROMPTS)] if tokenizer else []
    manifest = text_encoder_manifest(pack_id, width, f"T5 v1.1 XXL encoder as IF uses it ({source.get('model')}, "
                                                     f"float32), ONNX exported by deploy/export/export_text_encoder.py")
    packs.write_pack(out_dir, manifest, {"source": source, "opset": options.opset, "exporter": options.exporter,
                                         "checks": checks, "golden": golden,
                                         "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    log(f"pack {out_dir} written: {checks['parity']}")
    return out_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=MODEL, help="Hugging Face id or local folder with text_encoder/ and tokenizer/")
    parser.add_argument("--id", default=PACK_ID)
    packs.add_export_arguments(parser)
    a = parser.parse_args(argv)

    import torch
    from transformers import AutoTokenizer, T5EncoderModel

    packs.disable_tf32()
    encoder = T5EncoderModel.from_pretrained(a.model, subfolder="text_encoder", revision=a.revision,
                                             torch_dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(a.model, subfolder="tokenizer", revision=a.revision)
    options = packs.export_options(a)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_pretrained(tmp)
        files = [p for p in (Path(tmp) / TOKENIZER_FILE, Path(tmp) / "tokenizer.json") if p.exists()]
        if not any(p.name == TOKENIZER_FILE for p in files):
            print("FAILED: the tokenizer has no spiece.model", file=sys.stderr)
            return 1
        try:
            export_pack(encoder, tokenizer, files, a.id, a.out, options,
                        {"model": a.model, "revision": a.revision, "subfolder": "text_encoder"})
        except packs.PackError as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
