#!/usr/bin/env python3
"""An accuracy evaluator for `nmsim search --evaluator`.

nmsim starts this program once and speaks JSON Lines with it (Docs/Search.md, "External
evaluator"): each request line is

    {"id": 7, "assignment": {"blocks.0.attn.qkv": "2:4", ..., "blocks.11.mlp.fc2": "1:4"}}

and each reply line must be

    {"id": 7, "accuracy": 81.23}        (higher is better)
or  {"id": 7, "error": "what went wrong"}

Replies may come in any order (nmsim matches them by id) but every request needs exactly one.
Print nothing else on standard output; log to standard error.

Replace `Evaluator.accuracy` with your own measurement: apply the assignment's N:M masks to
your model, run your validation set, return top-1. What is here runs without a dataset:

  * with `--weights FILE.npz` (arrays named "<layer>.weight", PyTorch's [out, in] layout, for
    example saved by `np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})`)
    it applies ELSA's magnitude masks (the N largest |w| of every M consecutive inputs of each
    output row) and scores the configuration by the weight energy the whole network keeps, a
    product over layers, so the score is not a sum of per-layer terms;
  * without weights it uses a seeded stand-in: a per-layer sensitivity and a penalty when two
    consecutive layers are both at the sparsest level.

Usage:
    nmsim search --workload deit-b --speedup 2 --evaluator 'python3 examples/evaluator.py'
    nmsim search --workload deit-b --speedup 2 --evaluator 'python3 examples/evaluator.py --weights deit_b.npz' --evaluator-batch 16
"""
import argparse
import json
import sys
import zlib

import numpy as np


def nm_mask(w, n, m):
    """Keep the n largest |w| of every m consecutive inputs of each output row."""
    rows, k = w.shape
    pad = (-k) % m
    a = np.abs(np.pad(w, ((0, 0), (0, pad)))).reshape(rows, -1, m)
    # Rank within each group; a stable sort keeps the lower index on ties.
    order = np.argsort(-a, axis=2, kind="stable")
    keep = np.zeros_like(a, dtype=bool)
    np.put_along_axis(keep, order[:, :, :n], True, axis=2)
    return keep.reshape(rows, -1)[:, :k]


class Evaluator:
    dense_accuracy = 81.8  # DeiT-B's published top-1, for the stand-in scale

    def __init__(self, weights=None):
        self.weights = dict(np.load(weights)) if weights else None
        self.kept = {}  # (layer, pattern) -> fraction of the layer's weight energy kept

    def level(self, pattern):
        n, m = (int(x) for x in pattern.split(":"))
        if not (1 <= n <= m):
            raise ValueError(f"bad pattern {pattern}")
        return n, m

    def kept_energy(self, layer, pattern):
        key = (layer, pattern)
        if key not in self.kept:
            n, m = self.level(pattern)
            w = self.weights.get(layer + ".weight")
            if w is None:
                raise KeyError(f"no array {layer}.weight in the weights file")
            w = w.astype(np.float64)
            energy = np.sum(w * w)
            self.kept[key] = 1.0 if n == m or energy == 0 else float(np.sum((w * w)[nm_mask(w, n, m)]) / energy)
        return self.kept[key]

    def accuracy(self, assignment):
        layers = list(assignment)
        if self.weights is not None:
            kept = np.prod([self.kept_energy(l, assignment[l]) for l in layers])
            return 100.0 * kept
        # Seeded stand-in: sensitivity per layer, interaction between neighbours.
        drop = 0.0
        sparsest = []
        for l in layers:
            n, m = self.level(assignment[l])
            s = np.random.default_rng(zlib.crc32(l.encode())).uniform(0.005, 0.06)
            drop += s * np.log2(m / n)
            sparsest.append(n * 4 == m)
        drop += 0.05 * sum(a and b for a, b in zip(sparsest, sparsest[1:]))
        return self.dense_accuracy - drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", help=".npz file of <layer>.weight arrays")
    args = parser.parse_args()
    evaluator = Evaluator(args.weights)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        reply = {"id": request["id"]}
        try:
            reply["accuracy"] = round(float(evaluator.accuracy(request["assignment"])), 6)
        except Exception as e:  # report, keep serving
            reply = {"id": request["id"], "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
