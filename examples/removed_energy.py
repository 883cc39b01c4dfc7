#!/usr/bin/env python3
"""Removed weight energy of N:M magnitude masks, layer by layer, in a safetensors checkpoint.

The same score as `nmsim search --weights` without recorded inputs: for each 2-D `.weight`
tensor ([out, in]), the fraction Σ_removed w² / Σ w² that 2:4 and 1:4 masks (the N largest |w|
of every M consecutive inputs of each output row) remove. It shows how much, or how little, the
weight-only proxy separates layers (Docs/Search.md). F32 tensors only; numpy is the only need.

    python3 examples/removed_energy.py model.safetensors
"""
import json
import struct
import sys

import numpy as np


def tensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    for name, h in header.items():
        if name == "__metadata__" or not name.endswith(".weight") or len(h["shape"]) != 2 or h["dtype"] != "F32":
            continue
        a, b = h["data_offsets"]
        yield name[: -len(".weight")], np.frombuffer(data[a:b], dtype="<f4").reshape(h["shape"]).astype(np.float64)


def removed(w, n, m):
    rows, k = w.shape
    if k % m:
        return None
    e = np.sort((w * w).reshape(rows, k // m, m), axis=2)
    return e[:, :, : m - n].sum() / e.sum()


def main():
    rows = []
    for name, w in sorted(tensors(sys.argv[1])):
        r24, r14 = removed(w, 2, 4), removed(w, 1, 4)
        if r24 is None or "embeddings" in name:
            continue
        rows.append((r24, r14))
        print(f"{name:50s} {str(list(w.shape)):14s} 2:4 {100 * r24:6.2f} %   1:4 {100 * r14:6.2f} %")
    e24, e14 = np.array(rows).T
    print(f"{len(rows)} layers: 2:4 removes {100 * e24.min():.2f} to {100 * e24.max():.2f} % (mean {100 * e24.mean():.2f}, "
          f"std {100 * e24.std():.2f}); 1:4 {100 * e14.min():.2f} to {100 * e14.max():.2f} % (mean {100 * e14.mean():.2f})")


if __name__ == "__main__":
    main()
