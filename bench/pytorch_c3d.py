"""The PyTorch half of bench/c3d-vs-pytorch.sh.

Trains the same network as tunelab's Network.build("c3d", 1x16x32x32, 3) -- C3D's layout with
widths / 8 and batch norm: [conv3d 8, BN, relu, max-pool 1x2x2], [conv3d 16, BN, relu, pool 2],
[2x conv3d 32, pool 2], [2x conv3d 64, pool 2], [2x conv3d 64, pool 2], flatten, [linear 256,
relu], [linear 256, relu], dropout 0.2, linear 3 -- on the clips io.tunelab.bench.C3dTrainingBenchmark
wrote (clips.u8, labels.u8 in FOLDER): batch 16, Adam lr 0.001, softmax cross-entropy, shuffled
every epoch, one warm-up epoch then TIMED timed epochs, the same work per step as the DJL side.

Usage: pytorch_c3d.py N TIMED FOLDER (threads from TUNELAB_BENCH_THREADS, default 2).
Last line: "RESULT pytorch CLIPS_PER_SECOND" (mean of the timed epochs).
"""
import os
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 16
SHAPE = (1, 16, 32, 32)


def block(cin, widths, pool):
    layers = []
    for w in widths:
        layers += [nn.Conv3d(cin, w, 3, padding=1), nn.BatchNorm3d(w), nn.ReLU()]
        cin = w
    layers.append(nn.MaxPool3d(pool, pool))
    return layers, cin


def network(classes):
    layers = []
    cin = 1
    for widths, pool in [([8], (1, 2, 2)), ([16], 2), ([32, 32], 2), ([64, 64], 2), ([64, 64], 2)]:
        part, cin = block(cin, widths, pool)
        layers += part
    layers += [nn.Flatten(), nn.Linear(cin, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
               nn.Dropout(0.2), nn.Linear(256, classes)]
    return nn.Sequential(*layers)


def main():
    n = int(sys.argv[1])
    timed = int(sys.argv[2])
    folder = sys.argv[3]
    threads = int(os.environ.get("TUNELAB_BENCH_THREADS", "2"))
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    clips = np.fromfile(os.path.join(folder, "clips.u8"), dtype=np.uint8).reshape((n,) + SHAPE)
    labels = np.fromfile(os.path.join(folder, "labels.u8"), dtype=np.uint8).astype(np.int64)
    x_all = torch.from_numpy(clips.copy())
    y_all = torch.from_numpy(labels)
    print("pytorch: torch %s, intra-op threads %d, %d clips of %s, batch %d"
          % (torch.__version__, torch.get_num_threads(), n, "x".join(map(str, SHAPE)), BATCH),
          flush=True)
    model = network(int(labels.max()) + 1)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    for epoch in range(timed + 1):
        order = torch.randperm(n, generator=torch.Generator().manual_seed(1000 + epoch))
        start = time.perf_counter()
        loss_sum = 0.0
        correct = 0
        for begin in range(0, n, BATCH):
            batch = order[begin:begin + BATCH]
            x = x_all[batch].float().div_(127.5).sub_(1.0)
            y = y_all[batch]
            optimizer.zero_grad(set_to_none=True)
            logits = model(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            correct += int((logits.argmax(1) == y).sum().item())
        seconds = time.perf_counter() - start
        rate = n / seconds
        print("pytorch: epoch %d (%s): %d clips in %.2f s = %.1f clips/s (loss %.4f, train acc %.4f)"
              % (epoch, "warm-up" if epoch == 0 else "timed", n, seconds, rate, loss_sum / n,
                 correct / n), flush=True)
        if epoch > 0:
            rates.append(rate)
    print("RESULT pytorch %.2f" % (sum(rates) / len(rates)))


if __name__ == "__main__":
    main()
