"""Shared steps of the model-pack exporters: ONNX export with external data, the checks, manifest.json.

A model pack is a folder the ONNX workers load (campanile.packs.dir, /packs in containers):

    <pack-id>/manifest.json        what the worker needs to drive the model (schema: MANIFEST_FIELDS)
    <pack-id>/<name>.onnx          the graph
    <pack-id>/<name>.onnx.data     every weight, as ONNX external data (IF models exceed protobuf's 2 GB)
    <pack-id>/export-info.json     provenance: source model, library versions, checks and their numbers, file hashes

The checks every exporter runs, in order: the ONNX graph's inputs and outputs against the contract the workers
expect (names, element types, shapes with a dynamic batch axis); onnx.checker on the file path (so external data is
found); ONNX Runtime against PyTorch on the same random input, within a tolerance; the manifest against its schema.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import inspect
import json
import os
import platform
import re
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

# The DDPM configuration the stage-1/stage-2 workers implement (docs: IF-FACTS, "Schedulers").
IF_SCHEDULER = {
    "beta_schedule": "squaredcos_cap_v2",
    "num_train_timesteps": 1000,
    "variance_type": "learned_range",
    "thresholding": True,
    "dynamic_thresholding_ratio": 0.95,
}

# manifest.json, the schema of libs/packs (io.campanile.packs.PackManifest and Manifests.validate): the Java side reads
# every pack this writes, and refuses unknown fields. deploy/src/test (ExportSchemaTest) holds the field names below to
# the record's JSON names. Required fields by kind:
MANIFEST_FILE = "manifest.json"
MANIFEST_FIELDS = {
    "unet": {"id", "kind", "onnx", "image_size", "channels", "value_range", "scheduler", "conditioning",
             "embedding_shape", "output"},
    "text-encoder": {"id", "kind", "onnx", "embedding_shape", "tokenizer"},
}
# Optional fields by kind: description (GET /v1/models), class_labels (class conditioning), text_encoder (the id of the
# text-encoder pack whose states a t5 UNet takes), upscaler (true for an IF stage-II super-resolution UNet: the gateway
# and stage2-worker upscale only with such a pack).
OPTIONAL_FIELDS = {
    "unet": {"description", "class_labels", "text_encoder", "upscaler"},
    "text-encoder": {"description"},
}
# The scheduler block: required fields, those required when thresholding is true, and optional ones (a linear
# schedule's betas; the workers default to 1e-4 and 0.02).
SCHEDULER_FIELDS = {"beta_schedule", "num_train_timesteps", "variance_type", "thresholding"}
THRESHOLDING_FIELDS = {"dynamic_thresholding_ratio", "sample_max_value"}
OPTIONAL_SCHEDULER_FIELDS = {"beta_start", "beta_end"}
BETA_SCHEDULES = {"squaredcos_cap_v2", "linear"}
VARIANCE_TYPES = {"learned_range", "fixed_small", "fixed_large"}
VALUE_RANGES = {"[-1,1]", "[0,1]"}
CONDITIONING = {"t5", "class", "none"}
OUTPUTS = {"epsilon", "epsilon_variance"}
PACK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

# The T5 v1.1 XXL encoder IF conditions on: its pack id, and the [tokens, width] of its states.
T5_PACK_ID = "t5-v1_1-xxl"
T5_TOKENS = 77
T5_WIDTH = 4096
BATCH = "batch"


class PackError(Exception):
    """A check failed: the pack must not be used."""


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    """One input or output of a graph; BATCH marks the dynamic batch axis."""
    name: str
    dtype: str  # "float32" or "int64"
    shape: tuple

    def describe(self) -> str:
        return f"{self.name} {self.dtype}[{', '.join(str(d) for d in self.shape)}]"


@dataclasses.dataclass(frozen=True)
class ExportOptions:
    opset: int = 17                # 18 or later with the dynamo exporter
    exporter: str = "torchscript"  # or "dynamo"
    atol: float = 1e-3
    rtol: float = 1e-3
    providers: tuple = ()  # ONNX Runtime providers for the parity check; () = CUDA when available, else CPU


def export_onnx(model, example_inputs: tuple, inputs: Sequence[TensorSpec], outputs: Sequence[TensorSpec],
                out_dir: Path, file_name: str, options: ExportOptions) -> Path:
    """Exports `model` to out_dir/file_name with all weights in one external file, file_name + '.data'."""
    import onnx
    import torch

    out_dir.mkdir(parents=True, exist_ok=True)
    names_in = [t.name for t in inputs]
    names_out = [t.name for t in outputs]
    dynamic_axes = {t.name: {i: BATCH for i, d in enumerate(t.shape) if d == BATCH} for t in (*inputs, *outputs)}
    kwargs = dict(input_names=names_in, output_names=names_out, dynamic_axes=dynamic_axes,
                  opset_version=options.opset)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = options.exporter == "dynamo"
    elif options.exporter == "dynamo":
        raise PackError("this torch has no dynamo ONNX exporter; use --exporter torchscript")
    if options.exporter == "torchscript":
        kwargs["do_constant_folding"] = True
    # The raw export of a >2 GB model scatters one file per tensor: do it in a scratch folder on the same disk.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".export-") as scratch:
        raw = Path(scratch) / file_name
        with torch.no_grad():
            torch.onnx.export(model, example_inputs, str(raw), **kwargs)
        proto = onnx.load(str(raw), load_external_data=True)
        _annotate(proto.graph, inputs, outputs)
        target = out_dir / file_name
        for stale in (target, out_dir / (file_name + ".data")):
            stale.unlink(missing_ok=True)
        onnx.save_model(proto, str(target), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=file_name + ".data", size_threshold=1024)
        del proto
    gc.collect()
    return target


def _annotate(graph, inputs: Sequence[TensorSpec], outputs: Sequence[TensorSpec]) -> None:
    """Writes the contract's shapes into the graph's inputs and outputs.

    Exporters leave some fixed sizes symbolic (T5's sequence length comes out as an expression); the workers check
    shapes when they load a pack, so the file states them. Sound because the trace used exactly these shapes, and the
    parity check runs the saved graph on them.
    """
    specs = {t.name: t for t in (*inputs, *outputs)}
    for value in (*graph.input, *graph.output):
        spec = specs.get(value.name)
        if spec is None:
            continue
        dims = value.type.tensor_type.shape.dim
        if len(dims) != len(spec.shape):
            raise PackError(f"{value.name} has rank {len(dims)}, the contract says {spec.describe()}")
        for dim, want in zip(dims, spec.shape):
            if want == BATCH:
                dim.dim_param = BATCH
            else:
                dim.dim_value = int(want)


def check_onnx(path: Path, inputs: Sequence[TensorSpec], outputs: Sequence[TensorSpec]) -> dict:
    """onnx.checker on the path, then the graph's signature against the contract."""
    import onnx

    onnx.checker.check_model(str(path))
    graph = onnx.load(str(path), load_external_data=False).graph
    initializers = {i.name for i in graph.initializer}
    actual_in = [v for v in graph.input if v.name not in initializers]
    _compare_signature("input", actual_in, inputs)
    _compare_signature("output", list(graph.output), outputs)
    opsets = {o.domain or "ai.onnx": o.version for o in onnx.load(str(path), load_external_data=False).opset_import}
    return {"onnx_checker": "passed", "opsets": opsets, "signature": [t.describe() for t in (*inputs, *outputs)]}


def _compare_signature(kind: str, actual, expected: Sequence[TensorSpec]) -> None:
    import onnx

    if [v.name for v in actual] != [t.name for t in expected]:
        raise PackError(f"graph {kind}s are {[v.name for v in actual]}, expected {[t.name for t in expected]}")
    for value, spec in zip(actual, expected):
        tensor = value.type.tensor_type
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tensor.elem_type).name
        dims = [d.dim_param or d.dim_value for d in tensor.shape.dim]
        wanted = [BATCH if d == BATCH else d for d in spec.shape]
        ok = dtype == spec.dtype and len(dims) == len(wanted) and all(
            (isinstance(d, str) and d != "") if w == BATCH else d == w for d, w in zip(dims, wanted))
        if not ok:
            raise PackError(f"{kind} {value.name} is {dtype}{dims}, expected {spec.describe()}")


def parity(path: Path, feeds: dict, reference, options: ExportOptions) -> dict:
    """Runs the exported graph in ONNX Runtime on `feeds` and compares with PyTorch's `reference` output.

    Both sides in full fp32: the CUDA provider runs with use_tf32=0 (and the exporters call disable_tf32() before the
    PyTorch reference), so the 1e-3 bound also holds on Ampere and Hopper GPUs.
    """
    import numpy as np
    import onnxruntime as ort

    available = ort.get_available_providers()
    names = list(options.providers) or [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available]
    session = ort.InferenceSession(str(path), providers=[_provider(name) for name in names])
    started = time.monotonic()
    got = session.run(None, feeds)[0]
    seconds = time.monotonic() - started
    used = session.get_providers()[0]
    del session
    ref = np.asarray(reference)
    if got.shape != ref.shape:
        raise PackError(f"ONNX Runtime gave shape {got.shape}, PyTorch {ref.shape}")
    diff = float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64))))
    scale = float(np.max(np.abs(ref)))
    bound = options.atol + options.rtol * scale
    result = {"provider": used, "tf32": False, "max_abs_diff": diff, "max_abs_reference": scale, "bound": bound,
              "seconds": round(seconds, 3), "finite": bool(np.isfinite(got).all())}
    if not result["finite"] or diff > bound:
        raise PackError(f"ONNX Runtime ({used}) differs from PyTorch by {diff:.3g} > {bound:.3g}: {result}")
    return result


def _provider(name: str):
    """An ONNX Runtime provider for the parity check: CUDA without TF32, which would not hold the 1e-3 bound."""
    return (name, {"use_tf32": "0"}) if name == "CUDAExecutionProvider" else name


def disable_tf32() -> None:
    """fp32 matmuls and convolutions in PyTorch on CUDA: TF32 (the default for cuDNN on A100/H100) would move the
    reference by more than the parity bound."""
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def check_manifest(manifest: dict) -> None:
    """The manifest against its schema: the checks of libs/packs Manifests.validate, and no field it does not know."""
    if not isinstance(manifest, dict):
        raise PackError(f"manifest must be a JSON object, not {type(manifest).__name__}")
    kind = manifest.get("kind")
    if kind not in MANIFEST_FIELDS:
        raise PackError(f"manifest kind {kind!r} is not one of {sorted(MANIFEST_FIELDS)}")
    missing = MANIFEST_FIELDS[kind] - set(manifest)
    extra = set(manifest) - MANIFEST_FIELDS[kind] - OPTIONAL_FIELDS[kind]
    if missing or extra:
        raise PackError(f"manifest fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
    _require(isinstance(manifest["id"], str) and PACK_ID.fullmatch(manifest["id"]), "id",
             "must be 1-100 letters, digits, '.', '_' or '-'")
    onnx = manifest["onnx"]
    _require(isinstance(onnx, str) and onnx.strip() and "/" not in onnx and ".." not in onnx, "onnx",
             "must be a file name inside the pack folder")
    shape = manifest["embedding_shape"]
    _require(isinstance(shape, list) and len(shape) == 2 and all(_is_int(d) and d > 0 for d in shape),
             "embedding_shape", f"{shape!r} must be [tokens, width]")
    _require(manifest.get("description") is None or _is_str(manifest["description"]), "description",
             "must be a string")
    if kind == "text-encoder":
        _require(_is_str(manifest["tokenizer"]) and manifest["tokenizer"].strip(), "tokenizer", "is required")
        return
    _require(_is_int(manifest["image_size"]) and manifest["image_size"] > 0, "image_size", "must be a positive integer")
    _require(_is_int(manifest["channels"]) and manifest["channels"] > 0, "channels", "must be a positive integer")
    _require(manifest["value_range"] in VALUE_RANGES, "value_range", f"must be one of {sorted(VALUE_RANGES)}")
    _require(manifest["conditioning"] in CONDITIONING, "conditioning", f"must be one of {sorted(CONDITIONING)}")
    _require(manifest["output"] in OUTPUTS, "output", f"must be one of {sorted(OUTPUTS)}")
    upscaler, text_encoder, labels = (manifest.get(f) for f in ("upscaler", "text_encoder", "class_labels"))
    _require(upscaler is None or isinstance(upscaler, bool), "upscaler", "must be true or false")
    _require(text_encoder is None or _is_str(text_encoder) and PACK_ID.fullmatch(text_encoder), "text_encoder",
             "must be the id of a text-encoder pack")
    _require(labels is None or isinstance(labels, list) and all(_is_str(x) for x in labels), "class_labels",
             "must be a list of names")
    if manifest["conditioning"] == "class":
        _require(shape[0] == 1, "embedding_shape", "must be [1, K] for class conditioning")
        _require(labels is None or len(labels) == shape[1], "class_labels", f"must name exactly K = {shape[1]} classes")
    check_scheduler(manifest["scheduler"], manifest["output"])


def check_scheduler(s: dict, output: str) -> None:
    """The scheduler block of a UNet manifest (libs/packs PackManifest.SchedulerConfig)."""
    _require(isinstance(s, dict), "scheduler", "must be an object")
    allowed = SCHEDULER_FIELDS | THRESHOLDING_FIELDS | OPTIONAL_SCHEDULER_FIELDS
    missing = SCHEDULER_FIELDS - set(s)
    if s.get("thresholding") is True:
        missing |= THRESHOLDING_FIELDS - set(s)
    if missing or set(s) - allowed:
        raise PackError(f"scheduler fields: missing {sorted(missing)}, unexpected {sorted(set(s) - allowed)}")
    _require(s["beta_schedule"] in BETA_SCHEDULES, "scheduler.beta_schedule", f"must be one of {sorted(BETA_SCHEDULES)}")
    _require(_is_int(s["num_train_timesteps"]) and s["num_train_timesteps"] > 1, "scheduler.num_train_timesteps",
             "must be an integer above 1")
    _require(s["variance_type"] in VARIANCE_TYPES, "scheduler.variance_type", f"must be one of {sorted(VARIANCE_TYPES)}")
    _require(s["variance_type"] != "learned_range" or output == "epsilon_variance", "scheduler.variance_type",
             "learned_range needs output epsilon_variance")
    _require(isinstance(s["thresholding"], bool), "scheduler.thresholding", "must be true or false")
    if s["thresholding"]:
        ratio, top = s["dynamic_thresholding_ratio"], s["sample_max_value"]
        _require(_is_number(ratio) and 0 < ratio <= 1, "scheduler.dynamic_thresholding_ratio", "must be in (0, 1]")
        _require(_is_number(top) and top >= 1, "scheduler.sample_max_value", "must be at least 1")
    for beta in sorted(OPTIONAL_SCHEDULER_FIELDS & set(s)):
        _require(s[beta] is None or _is_number(s[beta]), f"scheduler.{beta}", "must be a number")


def _require(ok, field: str, rule: str) -> None:
    if not ok:
        raise PackError(f"manifest {field} {rule}")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_str(v) -> bool:
    return isinstance(v, str)


def scheduler_from_config(config: dict, expected_sample_max: float) -> dict:
    """The manifest's scheduler block from a diffusers DDPMScheduler config, checked against what the workers run."""
    block = {k: config.get(k) for k in IF_SCHEDULER}
    block["sample_max_value"] = config.get("sample_max_value")
    wrong = [f"{k}={block[k]!r} (expected {v!r})" for k, v in IF_SCHEDULER.items() if block[k] != v]
    if config.get("prediction_type", "epsilon") != "epsilon":
        wrong.append(f"prediction_type={config.get('prediction_type')!r} (expected 'epsilon')")
    if wrong:
        raise PackError("scheduler differs from the DDPM the workers implement: " + ", ".join(wrong))
    if abs(float(block["sample_max_value"]) - expected_sample_max) > 1e-9:
        raise PackError(f"sample_max_value {block['sample_max_value']}, expected {expected_sample_max}")
    return block


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(16 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_pack(out_dir: Path, manifest: dict, info: dict) -> None:
    """Checks and writes manifest.json and export-info.json (with every file's SHA-256), manifest last."""
    check_manifest(manifest)
    files = sorted(p for p in out_dir.iterdir() if p.is_file() and p.name not in (MANIFEST_FILE, "export-info.json"))
    info = dict(info)
    info["files"] = {p.name: {"bytes": p.stat().st_size, "sha256": sha256(p)} for p in files}
    info["versions"] = versions()
    info["host"] = {"python": platform.python_version(), "machine": platform.machine()}
    _write_json(out_dir / "export-info.json", info)
    _write_json(out_dir / MANIFEST_FILE, manifest)


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(value, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def versions() -> dict:
    out = {}
    for name in ("torch", "diffusers", "transformers", "onnx", "onnxruntime", "numpy"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


def run_step(log: Callable[[str], None], name: str, fn: Callable, *args, **kwargs):
    """Runs one step with its duration logged."""
    started = time.monotonic()
    log(f"{name} ...")
    result = fn(*args, **kwargs)
    log(f"{name}: done in {time.monotonic() - started:.1f} s")
    return result


def free_torch() -> None:
    gc.collect()
    try:
        import torch
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass


def default_opset(exporter: str) -> int:
    """The opset an exporter is run with unless told otherwise (the dynamo exporter starts at 18)."""
    return 18 if exporter == "dynamo" else 17


def add_export_arguments(parser) -> None:
    """The command-line options every exporter shares: ONNX opset and exporter, parity bounds and provider."""
    parser.add_argument("--revision", default=None, help="model revision (commit) to pin")
    parser.add_argument("--out", type=Path, required=True, help="folder of packs; the pack goes to OUT/ID")
    parser.add_argument("--opset", type=int, help="ONNX opset (default 17; 18 with --exporter dynamo)")
    parser.add_argument("--exporter", choices=("torchscript", "dynamo"), default="torchscript")
    parser.add_argument("--atol", type=float, default=1e-3)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--cpu-parity", action="store_true", help="run the parity check on ONNX Runtime's CPU provider")


def export_options(args) -> ExportOptions:
    """ExportOptions from the arguments of add_export_arguments."""
    return ExportOptions(opset=args.opset or default_opset(args.exporter), exporter=args.exporter, atol=args.atol,
                         rtol=args.rtol, providers=("CPUExecutionProvider",) if args.cpu_parity else ())
