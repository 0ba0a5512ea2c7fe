"""The PyTorch half of bench/djl-vs-pytorch.sh.

Trains the same CNN as tunelab's Network.build("cnn", 1x28x28, 10) on the first N Fashion-MNIST
training images, read from the gzipped idx files: batch 64, Adam lr 0.001, softmax cross-entropy,
shuffled every epoch, one warm-up epoch then TIMED timed epochs. Each step converts the uint8
batch to float in [-1, 1], runs forward, loss, backward and the optimizer step, reads the loss
and counts correct predictions -- the same work as io.tunelab.bench.DjlTrainingBenchmark.

Usage: pytorch_cnn.py [N=12800] [TIMED=2] [IDX_DIR] (threads from TUNELAB_BENCH_THREADS, default
2). Last line: "RESULT pytorch IMAGES_PER_SECOND" (mean of the timed epochs).
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 64


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def network():
    # Network.java "cnn": backbone [conv 32 3x3 pad 1, BN, relu, max-pool 2],
    # [conv 64 3x3 pad 1, BN, relu, max-pool 2], [flatten, linear 128, relu];
    # head [dropout 0.2, linear 10]. DJL's BatchNorm momentum 0.9 == PyTorch's 0.1.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(0.2), nn.Linear(128, 10))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12800
    timed = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    idx = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    threads = int(os.environ.get("TUNELAB_BENCH_THREADS", "2"))
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)

    images = read_idx(os.path.join(idx, "train-images-idx3-ubyte.gz"))[:n]
    labels = read_idx(os.path.join(idx, "train-labels-idx1-ubyte.gz"))[:n]
    x_all = torch.from_numpy(images.copy()).reshape(n, 1, 28, 28)
    y_all = torch.from_numpy(labels.astype(np.int64))
    print("pytorch: torch %s, intra-op threads %d, OPENBLAS_CORETYPE=%s, %d images, batch %d"
          % (torch.__version__, torch.get_num_threads(),
             os.environ.get("OPENBLAS_CORETYPE", "(unset)"), n, BATCH), flush=True)

    model = network()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    for epoch in range(timed + 1):
        generator = torch.Generator().manual_seed(1000 + epoch)
        order = torch.randperm(n, generator=generator)
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
        print("pytorch: epoch %d (%s): %d images in %.2f s = %.0f images/s (loss %.4f, train acc %.4f)"
              % (epoch, "warm-up" if epoch == 0 else "timed", n, seconds, rate, loss_sum / n,
                 correct / n), flush=True)
        if epoch > 0:
            rates.append(rate)
    print("RESULT pytorch %.1f" % (sum(rates) / len(rates)))


if __name__ == "__main__":
    main()
