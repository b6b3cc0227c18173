#!/usr/bin/python3
"""Trains the Fashion-MNIST demo models and writes their validation data.

    /usr/bin/python3 scripts/train/train_fashion.py [--epochs-cnn 5] [--epochs-mlp 15]
                                                    [--seed 20240601] [--out resources/demo]

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/), 60,000 training
and 10,000 test images of 28x28 grey levels in 10 classes. Preprocessing (also what the
dataset descriptions tell the engine): x = u8 * (1/255), then (x - 0.2860) / 0.3530, all in
float32, fed as [N, 1, 28, 28].

Models (float32, ONNX opset 13, input "image" [batch, 1, 28, 28], output "logits" [batch, 10]):
  fashion_cnn.onnx  Conv3x3(1->16)+BN+ReLU+MaxPool2, Conv3x3(16->32)+BN+ReLU+MaxPool2,
                    Conv3x3(32->64)+BN+ReLU+MaxPool2, Flatten 576, FC 256 + ReLU, FC 10
                    (the exporter folds each BatchNorm into its Conv)
  fashion_mlp.onnx  Flatten 784, FC 256 + ReLU, FC 128 + ReLU, FC 10
Both trained with Adam (lr 1e-3, cosine decay), batch 128, on all 60,000 training images;
the CNN sees random horizontal flips. Fixed seeds; 2 threads.

Writes to --out: the two models, fashion_val.npz (test images 0-1999 as uint8 "images"
[2000, 28, 28] and "labels" [2000]), fashion_val.json and fashion_test_full.json (dataset
descriptions: the committed subset, and all 10,000 test images read from Debian's IDX files),
and the models' figures in expected_accuracy.json (torch's own evaluation: correct counts on
the subset, accuracy and per-class accuracy on all 10,000).
"""

import argparse
import gzip
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]
CLASSES_ZH = ["T恤/上衣", "裤子", "套头衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包",
              "短靴"]
SCALE = 1.0 / 255.0
MEAN = 0.2860
STD = 0.3530
SUBSET = 2000


def read_idx(path):
    """An IDX file (MNIST layout, gzip or raw) as a NumPy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise SystemExit("%s: not an unsigned-byte IDX file" % path)
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    images = read_idx(os.path.join(FASHION_DIR, "%s-images-idx3-ubyte.gz" % split))
    labels = read_idx(os.path.join(FASHION_DIR, "%s-labels-idx1-ubyte.gz" % split))
    return images, labels


def preprocess(u8):
    """Exactly the engine's float32 arithmetic (core/data/dataset.cpp): x * scale, then
    (x - mean) * (1 / std)."""
    x = u8.astype(np.float32) * np.float32(SCALE)
    x = (x - np.float32(MEAN)) * (np.float32(1.0) / np.float32(STD))
    return x.reshape(-1, 1, 28, 28)


def model_classes(torch):
    nn = torch.nn

    class FashionCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16)
            self.conv2, self.bn2 = nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32)
            self.conv3, self.bn3 = nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64)
            self.fc1 = nn.Linear(64 * 3 * 3, 256)
            self.fc2 = nn.Linear(256, 10)
            self.drop = nn.Dropout(0.3)

        def forward(self, x):
            f = torch.nn.functional
            x = f.max_pool2d(f.relu(self.bn1(self.conv1(x))), 2)
            x = f.max_pool2d(f.relu(self.bn2(self.conv2(x))), 2)
            x = f.max_pool2d(f.relu(self.bn3(self.conv3(x))), 2)
            x = torch.flatten(x, 1)
            return self.fc2(self.drop(f.relu(self.fc1(x))))

    class FashionMlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 256)
            self.fc2 = nn.Linear(256, 128)
            self.fc3 = nn.Linear(128, 10)
            self.drop = nn.Dropout(0.2)

        def forward(self, x):
            f = torch.nn.functional
            x = torch.flatten(x, 1)
            x = self.drop(f.relu(self.fc1(x)))
            x = self.drop(f.relu(self.fc2(x)))
            return self.fc3(x)

    return FashionCnn, FashionMlp


def train(torch, model, x, y, epochs, seed, flip):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps = epochs * ((len(x) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps,
                                                pct_start=0.15)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x), generator=gen)
        t0, total, seen = time.time(), 0.0, 0
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            xb, yb = xt[idx], yt[idx]
            if flip:
                mask = torch.rand(len(idx), generator=gen) < 0.5
                xb = torch.where(mask[:, None, None, None], xb.flip(3), xb)
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
            seen += len(idx)
        print("  epoch %d: loss %.4f (%.0f s)" % (epoch + 1, total / seen, time.time() - t0),
              flush=True)
    model.eval()


def logits_of(torch, model, x):
    with torch.no_grad():
        return np.concatenate([model(torch.from_numpy(x[i:i + 500])).numpy()
                               for i in range(0, len(x), 500)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs-cnn", type=int, default=5)
    ap.add_argument("--epochs-mlp", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", default=common.DEMO_DIR)
    args = ap.parse_args()

    torch = common.import_torch(args.threads)
    os.makedirs(args.out, exist_ok=True)
    train_u8, train_y = load("train")
    test_u8, test_y = load("t10k")
    print("Fashion-MNIST: %d training, %d test images" % (len(train_u8), len(test_u8)))
    train_x, test_x = preprocess(train_u8), preprocess(test_u8)

    # Validation data: the first 2,000 test images, and descriptions for them and for all 10,000.
    common.save_npz(os.path.join(args.out, "fashion_val.npz"),
                    {"images": test_u8[:SUBSET], "labels": test_y[:SUBSET]})
    image_input = {"scale": SCALE, "mean": MEAN, "std": STD}
    common.write_json(os.path.join(args.out, "fashion_val.json"), {
        "description": "Fashion-MNIST test images 0-%d (of 10,000; from Debian's "
                       "dataset-fashion-mnist), uint8 grey levels [N, 28, 28] fed to 'image' "
                       "[N, 1, 28, 28] after x / 255, then (x - %.4f) / %.4f; labels are class "
                       "ids 0-9 (%s), scored by top-1 accuracy on 'logits'."
                       % (SUBSET - 1, MEAN, STD, ", ".join(CLASSES)),
        "source": "fashion_val.npz",
        "inputs": {"image": dict(array="images", **image_input)},
        "labels": {"logits": {"array": "labels", "metric": "accuracy"}},
    })
    common.write_json(os.path.join(args.out, "fashion_test_full.json"), {
        "description": "All 10,000 Fashion-MNIST test images, read from Debian's "
                       "dataset-fashion-mnist package (IDX files; 'x' images, 'y' labels); "
                       "same preprocessing and metric as fashion_val.json.",
        "source": FASHION_DIR + "/t10k-images-idx3-ubyte.gz",
        "inputs": {"image": dict(array="x", **image_input)},
        "labels": {"logits": {"array": "y", "metric": "accuracy"}},
    })

    cnn_class, mlp_class = model_classes(torch)
    entries = {}
    for name, cls, epochs, flip in (("fashion_cnn", cnn_class, args.epochs_cnn, True),
                                    ("fashion_mlp", mlp_class, args.epochs_mlp, False)):
        common.seed_everything(args.seed)
        model = cls()  # weights drawn after seeding: each model is reproducible on its own
        print("%s: %d parameters, %d epochs" % (name, common.param_count(model), epochs))
        t0 = time.time()
        train(torch, model, train_x, train_y, epochs, args.seed, flip)
        seconds = time.time() - t0
        logits = logits_of(torch, model, test_x)
        pred = common.argmax_last(logits)
        sub_correct, _ = common.accuracy_counts(logits[:SUBSET], test_y[:SUBSET])
        full_correct, _ = common.accuracy_counts(logits, test_y)
        per_class = {CLASSES[c]: round(float((pred[test_y == c] == c).mean()), 4)
                     for c in range(10)}
        path = os.path.join(args.out, name + ".onnx")
        common.export_onnx(
            torch, model, torch.from_numpy(test_x[:2]), path, ["image"], ["logits"],
            {"image": {0: "batch"}, "logits": {0: "batch"}},
            metadata={"class_names": ",".join(CLASSES), "class_names_zh": ",".join(CLASSES_ZH),
                      "preprocessing": "x / 255, then (x - %.4f) / %.4f" % (MEAN, STD)},
            doc="Fashion-MNIST demo of NNCompress Studio (scripts/train/train_fashion.py).")
        entries[name] = {
            "model": name + ".onnx",
            "data": "fashion_val.json",
            "params": common.onnx_param_count(path),
            "bytes": os.path.getsize(path),
            "training": "%d epochs on 60,000 images, %.0f s on %s"
                        % (epochs, seconds, common.threads_text(torch.get_num_threads())),
            "samples": SUBSET,
            "heads": {"logits": {"metric": "accuracy", "correct": sub_correct, "total": SUBSET}},
            "full": {"data": "fashion_test_full.json", "samples": len(test_y),
                     "heads": {"logits": {"metric": "accuracy", "correct": full_correct,
                                          "total": len(test_y)}},
                     "per_class": per_class},
        }
        print("  %s: top-1 %.2f %% on the first %d test images, %.2f %% on all 10,000"
              % (name, 100 * sub_correct / SUBSET, SUBSET, 100 * full_correct / len(test_y)))
        check = common.engine_check(path, os.path.join(args.out, "fashion_val.json"))
        if check:
            print("  engine (nncompress eval):", check)
    common.update_expected(entries, args.out)


if __name__ == "__main__":
    main()
