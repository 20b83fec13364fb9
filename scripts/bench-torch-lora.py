#!/usr/bin/env python3
"""PyTorch reference for the trainer benchmark (not part of `make test`).

The same model as the Swift trainer: 8x27 one-hot -> 256 ReLU -> 256 ReLU -> 11x27 logits,
a frozen base, hand-written LoRA adapters W x + (alpha/r) B A x on all three layers (r = 8,
alpha = 16, B = 0 at init), per-position cross-entropy, Adam, batch 64, CPU with 2 threads.
Prints training steps per second (best of 3 x STEPS). Usage:

    python3 scripts/bench-torch-lora.py [STEPS] [THREADS]    # needs `pip install torch`
"""
import sys, time, random
import torch

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(1)
random.seed(1)

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
    words = sorted({l.strip() for l in open("/usr/share/dict/words")
                    if l.strip().isascii() and l.strip().isalpha() and l.strip().islower() and 2 <= len(l.strip()) <= 8})
except OSError:
    words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 8))) for _ in range(4000)]

def enc(w, n):
    return [ord(c) - 97 for c in w[:n]] + [26] * (n - len(w[:n]))

X = torch.tensor([enc(w, 8) for w in words])
Y = torch.tensor([enc(pig(w), 11) for w in words])

class LoRALinear(torch.nn.Module):
    def __init__(self, n_in, n_out, r=8, alpha=16.0):
        super().__init__()
        self.base = torch.nn.Linear(n_in, n_out)
        self.base.weight.requires_grad_(False)
        self.base.bias.requires_grad_(False)
        self.A = torch.nn.Parameter(torch.empty(r, n_in).uniform_(-n_in ** -0.5, n_in ** -0.5))
        self.B = torch.nn.Parameter(torch.zeros(n_out, r))
        self.s = alpha / r
    def forward(self, x):
        return self.base(x) + self.s * ((x @ self.A.t()) @ self.B.t())

model = torch.nn.Sequential(LoRALinear(216, 256), torch.nn.ReLU(), LoRALinear(256, 256), torch.nn.ReLU(),
                            LoRALinear(256, 297))
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=2e-3)

def step():
    idx = torch.randint(0, len(words), (64,))
    x = torch.nn.functional.one_hot(X[idx], 27).float().reshape(64, 216)
    logits = model(x).reshape(64 * 11, 27)
    loss = torch.nn.functional.cross_entropy(logits, Y[idx].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    for g in opt.param_groups:
        g["lr"] = 2e-3
    opt.step()
    return loss.item()

for _ in range(100):
    first = step()
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    for _ in range(STEPS):
        last = step()
    best = min(best, time.perf_counter() - t0)
print(f"pytorch {torch.__version__}: {STEPS / best:.0f} training steps/s (batch 64, rank 8, Adam, {torch.get_num_threads()} threads; best of 3 x {STEPS} steps)")
