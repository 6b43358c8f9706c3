"""PyTorch CPU reference for TicketLab's training benchmark (bench/run.ts runs it; a benchmark
aid only, never a library dependency).

The same computations as bench/workloads/*.ts: bias-free networks of WSN (methods.md §1.10),
non-affine batch-statistics BN (affine=False, track_running_stats=False), dropout on in
AlexNet-like, a fixed random batch, softmax cross-entropy, training accuracy, Adam lr 1e-3
(WSN, methods.md §1.5). The masked step is WSN's official one: per-layer scores, mask =
top-c of |s| by kthvalue (k = 1 + round((1 - c)(n - 1))), straight-through backward, W * m,
and the gradients of weights in the earlier tasks' union zeroed before Adam.

Usage: python3 bench/pytorch_reference.py --threads 2 --reps 7 --warmup 2 [--quick]
       [--workloads mlp-b64,alexnet,...]
Prints one JSON object on stdout:
{"torch", "threads", "ompWaitPolicy", "results": {name: {"samples", "ms", "cpuMs"}}}.
Run OMP_WAIT_POLICY=PASSIVE in the environment for 2 threads (perf-notes.md).
"""

import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LEARNING_RATE = 1e-3
WSN_KEEP = 0.5  # c, as bench/workloads/registry.ts
WSN_FROZEN = 0.5  # share of weights in the earlier tasks' union


def top_c_rank(n, keep):
    """WSN's 1-based rank k = 1 + round((1 - c)(n - 1)); Python round is half-to-even."""
    return 1 + round((1 - keep) * (n - 1))


class TopC(torch.autograd.Function):
    """WSN GetSubnetFaster: forward the top-c 0/1 mask of |s|, backward straight through."""

    @staticmethod
    def forward(ctx, magnitudes, keep):
        k = top_c_rank(magnitudes.numel(), keep)
        tau = magnitudes.view(-1).kthvalue(k).values
        return (magnitudes >= tau).float()

    @staticmethod
    def backward(ctx, g):
        return g, None


class MaskedMixin:
    """Adds a WSN score tensor and uses W * top-c(|s|) when masked."""

    def _init_mask(self, masked):
        self.masked = masked
        if masked:
            self.score = nn.Parameter(torch.empty_like(self.weight))
            bound = 1 / (self.weight[0].numel() ** 0.5)
            nn.init.uniform_(self.score, -bound, bound)
            self.register_buffer("union", (torch.rand_like(self.weight) < WSN_FROZEN).float())

    def effective_weight(self):
        if not self.masked:
            return self.weight
        return self.weight * TopC.apply(self.score.abs(), WSN_KEEP)


class Linear(nn.Linear, MaskedMixin):
    def __init__(self, fin, fout, masked):
        super().__init__(fin, fout, bias=False)
        self._init_mask(masked)

    def forward(self, x):
        return F.linear(x, self.effective_weight())


class Conv(nn.Conv2d, MaskedMixin):
    def __init__(self, cin, cout, k, stride=1, padding=0, masked=False):
        super().__init__(cin, cout, k, stride=stride, padding=padding, bias=False)
        self._init_mask(masked)

    def forward(self, x):
        return F.conv2d(x, self.effective_weight(), None, self.stride, self.padding)


def bn2d(c):
    return nn.BatchNorm2d(c, affine=False, track_running_stats=False)


def bn1d(c):
    return nn.BatchNorm1d(c, affine=False, track_running_stats=False)


class Mlp(nn.Module):
    """784-100-100 ReLU, bias-free, head 100 -> 10 (PMNIST)."""

    def __init__(self, masked):
        super().__init__()
        self.fc1 = Linear(784, 100, masked)
        self.fc2 = Linear(100, 100, masked)
        self.head = nn.Linear(100, 10, bias=False)

    def forward(self, x):
        x = F.relu(self.fc1(x.view(x.shape[0], -1)))
        return self.head(F.relu(self.fc2(x)))


class AlexNet(nn.Module):
    """WSN's AlexNet-like: convs k4/k3/k2, fc 2048 x2, BN -> ReLU -> dropout, head 100."""

    def __init__(self, masked):
        super().__init__()
        self.c1, self.b1 = Conv(3, 64, 4, masked=masked), bn2d(64)
        self.c2, self.b2 = Conv(64, 128, 3, masked=masked), bn2d(128)
        self.c3, self.b3 = Conv(128, 256, 2, masked=masked), bn2d(256)
        self.f1, self.b4 = Linear(1024, 2048, masked), bn1d(2048)
        self.f2, self.b5 = Linear(2048, 2048, masked), bn1d(2048)
        self.head = nn.Linear(2048, 100, bias=False)

    def forward(self, x):
        for conv, bn, p in ((self.c1, self.b1, 0.2), (self.c2, self.b2, 0.2), (self.c3, self.b3, 0.5)):
            x = F.max_pool2d(F.dropout(F.relu(bn(conv(x))), p, self.training), 2)
        x = x.flatten(1)
        x = F.dropout(F.relu(self.b4(self.f1(x))), 0.5, self.training)
        x = F.dropout(F.relu(self.b5(self.f2(x))), 0.5, self.training)
        return self.head(x)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = Conv(cin, cout, 3, stride, 1), bn2d(cout)
        self.c2, self.b2 = Conv(cout, cout, 3, 1, 1), bn2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(Conv(cin, cout, 1, stride, 0), bn2d(cout))

    def forward(self, x):
        out = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(out + (self.short(x) if self.short is not None else x))


class ResNet18Reduced(nn.Module):
    """GPM/WSN reduced ResNet-18, nf = 20, non-affine batch-statistics BN, head 640 -> 10."""

    def __init__(self, nf=20):
        super().__init__()
        self.c1, self.b1 = Conv(3, nf, 3, 1, 1), bn2d(nf)
        blocks, cin = [], nf
        for stage, mult in enumerate((1, 2, 4, 8)):
            for b in range(2):
                stride = 2 if b == 0 and stage > 0 else 1
                blocks.append(Block(cin, nf * mult, stride))
                cin = nf * mult
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(8 * nf * 4, 10, bias=False)

    def forward(self, x):
        x = self.blocks(F.relu(self.b1(self.c1(x))))
        return self.head(F.avg_pool2d(x, 2).flatten(1))


# name -> (factory, input shape NCHW without batch, batch, classes, steps full/quick)
TRAIN = {
    "mlp-b64": (lambda: Mlp(False), (784,), 64, 10, (200, 50)),
    "mlp-b256": (lambda: Mlp(False), (784,), 256, 10, (80, 20)),
    "alexnet": (lambda: AlexNet(False), (3, 32, 32), 64, 100, (6, 2)),
    "resnet18": (lambda: ResNet18Reduced(20), (3, 32, 32), 64, 10, (4, 2)),
    "mlp-b64-wsn": (lambda: Mlp(True), (784,), 64, 10, (200, 50)),
    "alexnet-wsn": (lambda: AlexNet(True), (3, 32, 32), 64, 100, (6, 2)),
}


def _timed(reps, warmup, fn, samples_per_rep):
    """Runs fn warmup + reps times; wall and process CPU milliseconds of the timed ones."""
    samples, ms, cpu_ms = [], [], []
    for r in range(warmup + reps):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        dt, dc = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        if r >= warmup:
            samples.append(samples_per_rep)
            ms.append(dt)
            cpu_ms.append(dc)
    return {"samples": samples, "ms": ms, "cpuMs": cpu_ms}


def train_workload(name, reps, warmup, quick):
    factory, shape, batch, classes, steps = TRAIN[name]
    steps = steps[1] if quick else steps[0]
    torch.manual_seed(1)
    model = factory().train()
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    masked = [m for m in model.modules() if getattr(m, "masked", False)]
    x = torch.rand(batch, *shape) * 2 - 1
    y = torch.randint(0, classes, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        for m in masked:  # official WSN: no gradient for weights in the union of earlier masks
            m.weight.grad.mul_(1 - m.union)
        opt.step()
        return (logits.argmax(1) == y).sum()

    return _timed(reps, warmup, lambda: [step() for _ in range(steps)], steps * batch)


def top_c_workload(reps, warmup):
    """One WSN selection on LeNet-large fc1 (8192 x 2500 = 20.48 M scores)."""
    torch.manual_seed(1)
    score = (torch.rand(2500, 8192) * 2 - 1) / 8192**0.5
    def select():
        with torch.no_grad():
            TopC.apply(score.abs(), WSN_KEEP)

    return _timed(reps, warmup, select, score.numel())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workloads", default=",".join([*TRAIN, "top-c-omniglot"]))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    results = {}
    for name in [w for w in args.workloads.split(",") if w]:
        if name in TRAIN:
            results[name] = train_workload(name, args.reps, args.warmup, args.quick)
        elif name == "top-c-omniglot":
            results[name] = top_c_workload(args.reps, args.warmup)
        else:
            print(f"pytorch_reference: unknown workload {name!r}; known: {', '.join([*TRAIN, 'top-c-omniglot'])}", file=sys.stderr)
            sys.exit(2)
        print(f"  torch {args.threads}T {name}: done", file=sys.stderr, flush=True)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
        "results": results,
    }))


if __name__ == "__main__":
    main()
