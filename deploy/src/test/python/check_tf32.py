"""The export parity check runs in full fp32 on CUDA; run by deploy's ExportScriptsTest.

    PYTHONPATH=deploy/export python3 deploy/src/test/python/check_tf32.py

TF32 (on by default for cuDNN, and in ONNX Runtime's CUDA provider, on A100/H100) moves results by more than the
1e-3 bound. With stand-ins for torch and onnxruntime (neither is needed here; numpy is, else the parity part is
skipped): packs.disable_tf32() turns off both PyTorch switches, and packs.parity() opens the CUDA provider with
use_tf32=0. Exits 1 when either does not hold.
"""
from __future__ import annotations

import sys
import types

import packs


def main() -> int:
    failures = []
    matmul, cudnn = types.SimpleNamespace(allow_tf32=True), types.SimpleNamespace(allow_tf32=True)
    sys.modules["torch"] = types.SimpleNamespace(backends=types.SimpleNamespace(
        cuda=types.SimpleNamespace(matmul=matmul), cudnn=cudnn))
    packs.disable_tf32()
    if matmul.allow_tf32 or cudnn.allow_tf32:
        failures.append(f"disable_tf32 left matmul={matmul.allow_tf32} cudnn={cudnn.allow_tf32}")
    else:
        print("ok: disable_tf32 turns off torch.backends.cuda.matmul and torch.backends.cudnn TF32")

    try:
        import numpy as np
    except ImportError:
        print("skipped: the parity part needs numpy")
        np = None
    if np is not None:
        opened = []

        class Session:
            def __init__(self, path, providers):
                opened.append(providers)

            def run(self, names, feeds):
                return [np.zeros((1, 2), "float32")]

            def get_providers(self):
                return ["CUDAExecutionProvider"]

        sys.modules["onnxruntime"] = types.SimpleNamespace(
            get_available_providers=lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"], InferenceSession=Session)
        for given in ((), ("CUDAExecutionProvider",)):
            result = packs.parity("graph.onnx", {}, np.zeros((1, 2)), packs.ExportOptions(providers=given))
            cuda = [p for p in opened[-1] if p == "CUDAExecutionProvider" or p[0] == "CUDAExecutionProvider"]
            options = cuda[0][1] if cuda and isinstance(cuda[0], tuple) else {}
            if str(options.get("use_tf32")) != "0" or result.get("tf32") is not False:
                failures.append(f"parity with providers {given or 'default'} opened {opened[-1]}, result {result}")
            else:
                print(f"ok: parity with providers {given or 'default'} opens {opened[-1]}")
    for f in failures:
        print(f"FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
