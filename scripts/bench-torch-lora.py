#!/usr/bin/env python3
"""PyTorch reference for the trainer benchmark (not part of `make test`).

The same model and step as the Swift trainer (Sources/UnifiedLoRATrainer/Network.swift): a
decoder-only transformer over 19 positions (word, task marker, output shifted by one), vocabulary
35, 2 pre-LayerNorm blocks with d_model 64, 4 heads, causal attention without projection biases,
a ReLU feed-forward layer of 128, a final LayerNorm and an output layer with bias evaluated at the
11 predicting positions; the base frozen, hand-written LoRA adapters x Wᵀ + (α/r)(x Aᵀ)Bᵀ on the
TARGETS projections (default q,k,v,o, as `train`; r = 8, α = 16, B = 0 at init); per-position
cross-entropy; Adam at 2e-3; batch 32; CPU. Prints training steps per second (best of 3 × STEPS).
Usage:

    python3 scripts/bench-torch-lora.py [STEPS] [THREADS] [TARGETS]    # needs torch (pip install "torch==2.13.0+cpu")
"""
import math, random, sys, time
import torch
import torch.nn.functional as F

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 500
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 1
TARGETS = (sys.argv[3] if len(sys.argv) > 3 else "q,k,v,o").split(",")
if not TARGETS or any(t not in ("q", "k", "v", "o") for t in TARGETS) or len(set(TARGETS)) != len(TARGETS):
    sys.exit(f"bench-torch-lora: invalid TARGETS {sys.argv[3]!r}: expected a comma-separated subset of q,k,v,o")
torch.set_num_threads(THREADS)
torch.manual_seed(1)
random.seed(1)
V, T, D, H, L, FF, R, ALPHA, B = 35, 19, 64, 4, 2, 128, 8, 16.0, 32
DH = D // H


def pig(w):
    if w[0] in "aeiou":
        return w + "way"
    i = 1
    while i < len(w):
        c = w[i]
        if c in "aeiouy":
            if c == "u" and w[i - 1] == "q":
                i += 1
                continue
            break
        i += 1
    return w[i:] + w[:i] + "ay"


try:
    words = [w.strip() for w in open("/usr/share/dict/words") if w.strip().isalpha() and w.strip().islower() and 2 <= len(w.strip()) <= 8]
    words = [w for w in words if all("a" <= c <= "z" for c in w)]
except OSError:
    words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 8))) for _ in range(4000)]


def encode(w):
    src = [ord(c) - 97 for c in w] + [26] * (8 - len(w))
    out = [ord(c) - 97 for c in pig(w)]
    out = out + [26] * (11 - len(out))
    return src + [29] + out[:10], out


data = [encode(w) for w in words]
tokens_all = torch.tensor([d[0] for d in data])
targets_all = torch.tensor([d[1] for d in data])


def lin(o, i):
    return (torch.rand(o, i) * 2 - 1) / math.sqrt(i)


base = {
    "emb": torch.randn(V, D) * 0.02, "pos": torch.randn(T, D) * 0.02,
    "lnf_g": torch.ones(D), "lnf_b": torch.zeros(D), "wout": lin(V, D), "bout": torch.zeros(V),
}
blocks = []
for _ in range(L):
    blocks.append({"ln1_g": torch.ones(D), "ln1_b": torch.zeros(D), "wq": lin(D, D), "wk": lin(D, D), "wv": lin(D, D),
                   "wo": lin(D, D), "ln2_g": torch.ones(D), "ln2_b": torch.zeros(D), "w1": lin(FF, D), "b1": torch.zeros(FF),
                   "w2": lin(D, FF), "b2": torch.zeros(D)})
adapters = []
for _ in range(L):
    a = {}
    for t in TARGETS:
        a[t + "A"] = ((torch.rand(R, D) * 2 - 1) / math.sqrt(D)).requires_grad_()
        a[t + "B"] = torch.zeros(D, R, requires_grad=True)
    adapters.append(a)
params = [p for a in adapters for p in a.values()]
opt = torch.optim.Adam(params, lr=2e-3)
scale = ALPHA / R
mask = torch.full((T, T), float("-inf")).triu(1)


def project(x, blk, ad, t):
    y = x @ blk["w" + t].T
    return y + scale * (x @ ad[t + "A"].T) @ ad[t + "B"].T if t + "A" in ad else y


def forward(tok, tgt):
    h = base["emb"][tok] + base["pos"]
    n = tok.shape[0]
    for blk, ad in zip(blocks, adapters):
        a = F.layer_norm(h, (D,), blk["ln1_g"], blk["ln1_b"])
        q, k, v = (project(a, blk, ad, t) for t in ("q", "k", "v"))
        q, k, v = (x.view(n, T, H, DH).transpose(1, 2) for x in (q, k, v))
        s = q @ k.transpose(-1, -2) / math.sqrt(DH) + mask
        ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(n, T, D)
        h = h + project(ctx, blk, ad, "o")
        c = F.layer_norm(h, (D,), blk["ln2_g"], blk["ln2_b"])
        h = h + torch.relu(c @ blk["w1"].T + blk["b1"]) @ blk["w2"].T + blk["b2"]
    hf = F.layer_norm(h[:, 8:, :], (D,), base["lnf_g"], base["lnf_b"])
    logits = hf @ base["wout"].T + base["bout"]
    return F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1))


order = list(range(len(data)))
random.shuffle(order)
cursor = 0


def step():
    global cursor
    if cursor + B > len(order):
        random.shuffle(order)
        cursor = 0
    idx = torch.tensor(order[cursor:cursor + B])
    cursor += B
    loss = forward(tokens_all[idx], targets_all[idx])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(50):
    first = step()
best = float("inf")
best_cpu = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    c0 = time.process_time()  # CPU time of every thread of the process (torch's intra-op threads too)
    for _ in range(STEPS):
        last = step()
    best = min(best, time.perf_counter() - t0)
    best_cpu = min(best_cpu, time.process_time() - c0)
assert math.isfinite(last)
print(f"torch: {STEPS / best:.0f} training steps/s wall-clock, {STEPS / best_cpu:.0f} per CPU-second (transformer, batch {B}, rank {R} on {','.join(TARGETS)}, Adam, {THREADS} thread{'s' if THREADS > 1 else ''}; torch {torch.__version__}; best of 3 x {STEPS} steps)")
