"""PyTorch CUDA reference for the GPU benchmark bundle (scripts/gpu-bundle/; a benchmark aid only).

bench/pytorch_reference.py (copied beside this file into the bundle) defines the same networks
and steps as bench/workloads/*.ts, on the CPU. This runs its workloads on a CUDA device: model,
batch and WSN union buffers moved to the GPU, torch.cuda.synchronize() before each clock read,
so a repetition's time covers the GPU work. Same JSON shape as the CPU reference, plus "device".

Usage: python3 pytorch_cuda.py [--reps 7] [--warmup 2] [--quick] [--workloads mlp-b64,...]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_reference as ref  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def _timed(device, reps, warmup, fn, samples_per_rep):
    samples, ms = [], []
    for r in range(warmup + reps):
        torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize(device)
        dt = (time.perf_counter() - t0) * 1000
        if r >= warmup:
            samples.append(samples_per_rep)
            ms.append(dt)
    return {"samples": samples, "ms": ms}


def train_workload(device, name, reps, warmup, quick):
    factory, shape, batch, classes, steps = ref.TRAIN[name]
    steps = steps[1] if quick else steps[0]
    torch.manual_seed(1)
    model = factory().train().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=ref.LEARNING_RATE)
    masked = [m for m in model.modules() if getattr(m, "masked", False)]
    x = (torch.rand(batch, *shape) * 2 - 1).to(device)
    y = torch.randint(0, classes, (batch,)).to(device)

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(x)
        F.cross_entropy(logits, y).backward()
        for m in masked:
            m.weight.grad.mul_(1 - m.union)
        opt.step()
        return (logits.argmax(1) == y).sum()

    return _timed(device, reps, warmup, lambda: [step() for _ in range(steps)], steps * batch)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workloads", default=",".join(ref.TRAIN))
    args = ap.parse_args()
    if not torch.cuda.is_available():
        print(json.dumps({"torch": torch.__version__, "device": None, "error": "torch.cuda.is_available() is False"}))
        sys.exit(1)
    device = torch.device("cuda")
    results = {}
    for name in [w for w in args.workloads.split(",") if w]:
        if name not in ref.TRAIN:
            print(f"pytorch_cuda: unknown workload {name!r}; known: {', '.join(ref.TRAIN)}", file=sys.stderr)
            sys.exit(2)
        results[name] = train_workload(device, name, args.reps, args.warmup, args.quick)
        print(f"  torch cuda {name}: done", file=sys.stderr, flush=True)
    print(json.dumps({"torch": torch.__version__, "device": torch.cuda.get_device_name(device), "results": results}))


if __name__ == "__main__":
    main()
