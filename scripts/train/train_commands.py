#!/usr/bin/python3
"""Trains the in-car command demo models (intent + BIO slots) and exports them to ONNX.

    /usr/bin/python3 scripts/train/train_commands.py [--seed 11] [--out resources/demo]
                                                     [--epochs N]

Data: the corpus of commands_corpus.py (same seed: the same training and validation split);
this script first rewrites the vocabulary, tokenizer description and validation set through it.

Models (float32, ONNX opset 13; inputs input_ids and attention_mask [batch, seq] int64, padded on
the right with 0; outputs intent_logits [batch, 16] and/or slot_logits [batch, seq, 19]):
  commands_fused      shared encoder, two heads: Embedding 64, bidirectional GRU 64 per
                      direction; intent head on the two final states, slot head on every step
  commands_intent     the same encoder with the intent head only  } the "before network fusion"
  commands_slots      the same encoder with the slot head only     } baseline: two encoders
  commands_teacher    Embedding 128, bidirectional GRU 64 per direction, then 2 pre-LN
                      transformer layers (d 128, 4 heads, FFN 256, attention masked to the
                      real tokens); intent head on the masked mean, slot head per token.
                      (A transformer with learned positions alone reached only 0.80-0.86 slot
                      F1 here, below the small recurrent models: the GRU in front gives it the
                      local context that finds where an unseen name starts and ends.)
  commands_student    Embedding 32, bidirectional LSTM 32 per direction, trained on the
                      teacher's soft labels (temperature 2) and the hard labels (weight 0.5)
The recurrent encoders train on packed sequences; in the ONNX graphs every GRU/LSTM gets
sequence_lens = ReduceSum(attention_mask) (scripts/train/common.py tidy_onnx), so padding never
enters the recurrence there either. For reference the student architecture is also trained
without the teacher (not exported); its figures go to the README.

Adam with a one-cycle schedule, batch 32, 10 % of the training tokens replaced by [UNK] in each
batch (so that a model tags names it has never seen from their context), fixed seeds, 1 thread.
Figures (torch's own evaluation on commands_val.npz) go to expected_accuracy.json.
"""

import argparse
import math
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import commands_corpus as corpus  # noqa: E402
import common  # noqa: E402

NI, NS = len(corpus.INTENTS), len(corpus.TAGS)
MAX_POSITIONS = 64


def define(torch):
    nn = torch.nn
    F = torch.nn.functional
    pack = torch.nn.utils.rnn.pack_padded_sequence
    unpack = torch.nn.utils.rnn.pad_packed_sequence

    def run_rnn(rnn, x, mask, export_mode):
        """A batch-first bidirectional GRU/LSTM over the real tokens only: packed sequences in
        training, a plain call when exporting (tidy_onnx then adds sequence_lens)."""
        if export_mode:
            y, h = rnn(x)
        else:
            lens = mask.sum(1).cpu()
            y, h = rnn(pack(x, lens, batch_first=True, enforce_sorted=False))
            y, _ = unpack(y, batch_first=True, total_length=x.shape[1])
        return y, (h[0] if isinstance(h, tuple) else h)

    class RnnEncoder(nn.Module):
        """Embedding + one bidirectional GRU/LSTM layer. Returns the per-token states
        [B, T, 2H] and the sentence vector [B, 2H] (forward state after the last token,
        backward state after the first)."""

        def __init__(self, vocab, emb, hidden, cell, dropout):
            super().__init__()
            self.embed = nn.Embedding(vocab, emb, padding_idx=0)
            self.rnn = (nn.GRU if cell == "gru" else nn.LSTM)(emb, hidden, batch_first=True,
                                                              bidirectional=True)
            self.drop = nn.Dropout(dropout)
            self.width = 2 * hidden
            self.export_mode = False  # plain GRU/LSTM call; sequence_lens is added to the graph

        def forward(self, ids, mask):
            y, h = run_rnn(self.rnn, self.drop(self.embed(ids)), mask, self.export_mode)
            return self.drop(y), self.drop(torch.cat([h[0], h[1]], dim=1))

    class Block(nn.Module):
        """Pre-LN transformer block: multi-head self-attention masked to the real tokens, then
        a ReLU feed-forward layer, each with a residual connection."""

        def __init__(self, d, heads, ff, dropout):
            super().__init__()
            self.heads, self.dh = heads, d // heads
            self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.ff1, self.ff2 = nn.Linear(d, ff), nn.Linear(ff, d)
            self.drop = nn.Dropout(dropout)

        def forward(self, x, bias):
            b, t, d = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
            q, k, v = (z.reshape(b, t, self.heads, self.dh).transpose(1, 2) for z in (q, k, v))
            att = torch.softmax(q @ k.transpose(2, 3) * (1.0 / math.sqrt(self.dh)) + bias, dim=-1)
            y = (self.drop(att) @ v).transpose(1, 2).reshape(b, t, d)
            x = x + self.drop(self.proj(y))
            return x + self.drop(self.ff2(F.relu(self.ff1(self.ln2(x)))))

    class TransformerEncoder(nn.Module):
        """Token embeddings, then either learned positions (front "pos", up to MAX_POSITIONS
        tokens) or a bidirectional GRU (front "gru": order and local context come from the
        recurrence, no length limit), then pre-LN transformer blocks and a final LayerNorm.
        The sentence vector is the mean over the real tokens."""

        def __init__(self, vocab, d, heads, ff, layers, dropout, front="pos"):
            super().__init__()
            self.embed = nn.Embedding(vocab, d, padding_idx=0)
            self.pos = nn.Embedding(MAX_POSITIONS, d) if front == "pos" else None
            self.rnn = nn.GRU(d, d // 2, batch_first=True, bidirectional=True) \
                if front == "gru" else None
            self.blocks = nn.ModuleList([Block(d, heads, ff, dropout) for _ in range(layers)])
            self.norm = nn.LayerNorm(d)
            self.drop = nn.Dropout(dropout)
            self.width = d
            self.export_mode = False

        def forward(self, ids, mask):
            m = mask.to(torch.float32)
            x = self.embed(ids)
            if self.pos is not None:
                x = x + self.pos.weight[:ids.shape[1]]
            if self.rnn is not None:
                x = run_rnn(self.rnn, x, mask, self.export_mode)[0]
            x = self.drop(x)
            bias = ((1.0 - m) * -10000.0)[:, None, None, :]
            for blk in self.blocks:
                x = blk(x, bias)
            x = self.norm(x)
            pooled = (x * m[:, :, None]).sum(1) / m.sum(1, keepdim=True)
            return x, pooled

    class Tagger(nn.Module):
        """An encoder with an intent head, a slot head, or both (outputs in that order)."""

        def __init__(self, encoder, intent=True, slots=True):
            super().__init__()
            self.encoder = encoder
            self.intent_head = nn.Linear(encoder.width, NI) if intent else None
            self.slot_head = nn.Linear(encoder.width, NS) if slots else None

        def forward(self, ids, mask):
            y, pooled = self.encoder(ids, mask)
            out = []
            if self.intent_head is not None:
                out.append(self.intent_head(pooled))
            if self.slot_head is not None:
                out.append(self.slot_head(y))
            return tuple(out) if len(out) > 1 else out[0]

    return RnnEncoder, TransformerEncoder, Tagger


def outputs_of(model, result):
    """The model's outputs as a dict {"intent_logits": ..., "slot_logits": ...}."""
    names = []
    if model.intent_head is not None:
        names.append("intent_logits")
    if model.slot_head is not None:
        names.append("slot_logits")
    if not isinstance(result, tuple):
        result = (result,)
    return dict(zip(names, result))


def hard_loss(torch, outs, intent, slots):
    F = torch.nn.functional
    loss = 0
    if "intent_logits" in outs:
        loss = loss + F.cross_entropy(outs["intent_logits"], intent)
    if "slot_logits" in outs:
        loss = loss + F.cross_entropy(outs["slot_logits"].reshape(-1, NS), slots.reshape(-1),
                                      ignore_index=corpus.IGNORE_INDEX)
    return loss


def soft_loss(torch, outs, teacher, slots, temperature):
    """KL(teacher || student) at `temperature` on both heads (slots: real tokens only),
    scaled by T^2 as in Hinton et al."""
    F = torch.nn.functional
    t = temperature

    def kl(s, q):
        return F.kl_div(F.log_softmax(s / t, -1), F.softmax(q / t, -1), reduction="batchmean")

    keep = slots.reshape(-1) != corpus.IGNORE_INDEX
    loss = kl(outs["intent_logits"], teacher["intent_logits"])
    loss = loss + kl(outs["slot_logits"].reshape(-1, NS)[keep],
                     teacher["slot_logits"].reshape(-1, NS)[keep])
    return loss * t * t


def train(torch, model, data, epochs, lr, seed, teacher=None, alpha=0.5, temperature=2.0,
          unk_dropout=0.0):
    """Adam with a one-cycle schedule, batch 32. `unk_dropout`: the share of tokens replaced by
    [UNK] in each batch (the student sees the teacher's outputs for the same damaged batch), so
    that a model learns to tag a name it has never seen from its context."""
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(data["intent"])
    steps = epochs * ((n + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    tens = {k: torch.from_numpy(v) for k, v in data.items()}
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(n, generator=gen)
        total = 0.0
        for i in range(0, n, 32):
            idx = order[i:i + 32]
            b = {k: v[idx] for k, v in tens.items()}
            t = int(b["attention_mask"].sum(1).max())  # trim the padding every row has
            ids, mask, slots = b["input_ids"][:, :t], b["attention_mask"][:, :t], b["slots"][:, :t]
            if unk_dropout > 0:
                drop = (torch.rand(ids.shape, generator=gen) < unk_dropout) & (mask > 0)
                ids = torch.where(drop, torch.full_like(ids, 1), ids)
            outs = outputs_of(model, model(ids, mask))
            loss = hard_loss(torch, outs, b["intent"], slots)
            if teacher is not None:
                with torch.no_grad():
                    tout = outputs_of(teacher, teacher(ids, mask))
                loss = alpha * loss + (1 - alpha) * soft_loss(torch, outs, tout, slots, temperature)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        if epoch == epochs - 1 or (epoch + 1) % 5 == 0:
            print("  epoch %d: loss %.4f" % (epoch + 1, total / n), flush=True)
    model.eval()


def predict(torch, model, data):
    with torch.no_grad():
        r = model(torch.from_numpy(data["input_ids"]), torch.from_numpy(data["attention_mask"]))
    return {k: v.numpy() for k, v in outputs_of(model, r).items()}


def figures(outs, data, rows=None):
    """Correct counts per head, as the engine counts them, on `rows` (all when None)."""
    sel = slice(None) if rows is None else rows
    heads = {}
    if "intent_logits" in outs:
        c, n = common.accuracy_counts(outs["intent_logits"][sel], data["intent"][sel])
        heads["intent_logits"] = {"metric": "accuracy", "correct": c, "total": n}
    if "slot_logits" in outs:
        tp, npred, ngold = common.entity_counts(outs["slot_logits"][sel], data["slots"][sel],
                                                corpus.TAGS, corpus.IGNORE_INDEX)
        heads["slot_logits"] = {"metric": "entity_f1", "true_positives": tp, "predicted": npred,
                                "gold": ngold}
    return heads


def head_values(heads):
    out = {}
    for name, h in heads.items():
        if h["metric"] == "accuracy":
            out[name] = h["correct"] / h["total"]
        else:
            out[name] = common.f1_value(h["true_positives"], h["predicted"], h["gold"])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--corpus-seed", type=int, default=corpus.SEED)
    ap.add_argument("--out", default=common.DEMO_DIR)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (default 1: these models are too small to gain from more)")
    ap.add_argument("--unk-dropout", type=float, default=0.1,
                    help="share of training tokens replaced by [UNK] in each batch")
    ap.add_argument("--epochs", type=int, help="train every model this many epochs (a quick "
                    "check of the pipeline; the committed models use the defaults)")
    args = ap.parse_args()

    torch = common.import_torch(args.threads)
    RnnEncoder, TransformerEncoder, Tagger = define(torch)

    # The corpus, and the committed files that describe it (vocabulary, validation set, ...).
    sys.argv = [sys.argv[0], "--seed", str(args.corpus_seed), "--out", args.out]
    corpus.main()
    train_set, val_set = corpus.generate(args.corpus_seed)
    with open(os.path.join(args.out, "commands_vocab.txt"), encoding="utf-8") as f:
        vocab = [w.rstrip("\n") for w in f]
    index = {w: i for i, w in enumerate(vocab)}
    train_data = corpus.encode_split(train_set, index)
    val_data = corpus.encode_split(val_set, index)
    saved = np.load(os.path.join(args.out, "commands_val.npz"))
    assert all(np.array_equal(saved[k], val_data[k]) for k in val_data), "validation set mismatch"
    langs = np.array([ex["lang"] for ex in val_set])
    V = len(vocab)

    # Descriptions for the single-head models (a description may only name existing outputs).
    full = common.read_json(os.path.join(args.out, "commands_val.json"))
    for suffix, head in (("intent", "intent_logits"), ("slots", "slot_logits")):
        d = dict(full)
        d["labels"] = {head: full["labels"][head]}
        d["description"] = full["description"] + " This description scores %s only." % head
        common.write_json(os.path.join(args.out, "commands_val_%s.json" % suffix), d)

    specs = [
        # name, factory, heads, epochs, lr, data description, architecture
        ("commands_fused", lambda: Tagger(RnnEncoder(V, 64, 64, "gru", 0.25)), 25, 3e-3,
         "commands_val.json", "Embedding 64 + BiGRU 64, intent and slot heads"),
        ("commands_intent", lambda: Tagger(RnnEncoder(V, 64, 64, "gru", 0.25), slots=False), 25,
         3e-3, "commands_val_intent.json", "Embedding 64 + BiGRU 64, intent head"),
        ("commands_slots", lambda: Tagger(RnnEncoder(V, 64, 64, "gru", 0.25), intent=False), 25,
         3e-3, "commands_val_slots.json", "Embedding 64 + BiGRU 64, slot head"),
        ("commands_teacher", lambda: Tagger(TransformerEncoder(V, 128, 4, 256, 2, 0.1, "gru")), 30,
         2e-3, "commands_val.json",
         "Embedding 128 + BiGRU 64 + 2 transformer layers (d 128, 4 heads, FFN 256)"),
        ("commands_student", lambda: Tagger(RnnEncoder(V, 32, 32, "lstm", 0.1)), 30, 5e-3,
         "commands_val.json", "Embedding 32 + BiLSTM 32, distilled from commands_teacher"),
    ]
    entries, trained = {}, {}
    for name, factory, epochs, lr, desc, arch in specs + [("commands_student_scratch",
                                                           specs[4][1], 30, 5e-3, None, None)]:
        epochs = args.epochs or epochs
        common.seed_everything(args.seed)
        model = factory()
        teacher = trained["commands_teacher"] if name == "commands_student" else None
        print("%s: %d parameters, %d epochs%s" % (name, common.param_count(model), epochs,
                                                  " (distilled)" if teacher else ""), flush=True)
        t0 = time.time()
        train(torch, model, train_data, epochs, lr, args.seed, teacher=teacher,
              unk_dropout=args.unk_dropout)
        seconds = time.time() - t0
        trained[name] = model
        outs = predict(torch, model, val_data)
        heads = figures(outs, val_data)
        by_lang = {lang: head_values(figures(outs, val_data, langs == lang))
                   for lang in ("zh", "en")}
        print("  %s (%.0f s)" % (", ".join("%s %.4f" % kv for kv in head_values(heads).items()),
                                 seconds))
        record = {"arch": arch, "params": common.param_count(model),
                  "training": "%d epochs on %d sentences, %.0f s on %s"
                              % (epochs, len(train_set), seconds,
                                 common.threads_text(torch.get_num_threads())),
                  "samples": len(val_set), "heads": heads, "by_language": by_lang}
        if desc is None:  # the reference student: figures only
            record["arch"] = "Embedding 32 + BiLSTM 32, hard labels only (not exported)"
            entries[name] = record
            continue
        path = os.path.join(args.out, name + ".onnx")
        model.encoder.export_mode = True
        ids = torch.from_numpy(val_data["input_ids"][:2])
        mask = torch.from_numpy(val_data["attention_mask"][:2])
        names = list(outs)
        axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                "intent_logits": {0: "batch"}, "slot_logits": {0: "batch", 1: "seq"}}
        common.export_onnx(
            torch, model, (ids, mask), path, ["input_ids", "attention_mask"], names,
            {k: v for k, v in axes.items() if k in names or k.startswith(("input", "att"))},
            mask_input="attention_mask",
            metadata={"intents": ",".join(corpus.INTENTS), "slot_tags": ",".join(corpus.TAGS),
                      "tokenizer": "commands_tokenizer.json", "vocab": "commands_vocab.txt"},
            doc="In-car command demo of NNCompress Studio (scripts/train/train_commands.py): "
                + arch + ".")
        model.encoder.export_mode = False
        record.update({"model": name + ".onnx", "data": desc, "bytes": os.path.getsize(path),
                       "params": common.onnx_param_count(path)})
        entries[name] = record
        check = common.engine_check(path, os.path.join(args.out, desc))
        if check:
            print("  engine (nncompress eval):", check)
    common.update_expected(entries, args.out)


if __name__ == "__main__":
    main()
