"""The tokenizer of the in-car command demo: characters for Chinese, words for English.

The rule (also in resources/demo/commands_tokenizer.json and resources/demo/README.md, so the
Studio can tokenize a sentence a person types):

1. Each character is normalised with Unicode NFKC (full-width letters and digits become ASCII)
   and lower-cased.
2. Scanning left to right:
   - white space separates tokens and is dropped;
   - a run of ASCII letters a-z is one token; an apostrophe between two letters stays inside
     it ("i'd", "fisherman's");
   - a run of ASCII digits 0-9 is one token; a '.' between two digits stays inside it
     ("97.4", "22.5"); letters and digits do not join ("fm97.4" is "fm", "97.4");
   - any other character is a token by itself (every Chinese character, "%"), except
     punctuation other than "%" (Unicode general category P*, e.g. , . ? ! - ， 。 ？ ！ 、),
     which is dropped.
3. Token ids are line numbers (from 0) in resources/demo/commands_vocab.txt: 0 is [PAD],
   1 is [UNK] (any token not in the file). A sentence of n tokens is fed as input_ids [1, n]
   with attention_mask [1, n] of ones; a batch is padded on the right with id 0 and mask 0.

Importable; run it to tokenize sentences:  /usr/bin/python3 commands_tokenizer.py "打开车窗"
"""

import sys
import unicodedata

PAD, UNK = "[PAD]", "[UNK]"
PAD_ID, UNK_ID = 0, 1


def _norm(c):
    return unicodedata.normalize("NFKC", c).lower()


def tokenize(text):
    """Tokens of `text` as (token, start, end), start/end being character offsets in `text`."""
    # Normalise character by character, remembering which source character each came from.
    chars, origin = [], []
    for i, c in enumerate(text):
        for n in _norm(c):
            chars.append(n)
            origin.append(i)
    out, i, n = [], 0, len(chars)

    def letter(k):
        return 0 <= k < n and "a" <= chars[k] <= "z"

    def digit(k):
        return 0 <= k < n and "0" <= chars[k] <= "9"

    while i < n:
        c = chars[i]
        if c.isspace():
            i += 1
            continue
        j = i + 1
        if letter(i):
            while j < n and (letter(j) or (chars[j] in "'\u2019" and letter(j + 1))):
                j += 1
        elif digit(i):
            while j < n and (digit(j) or (chars[j] == "." and digit(j + 1) and digit(j - 1))):
                j += 1
        elif c != "%" and unicodedata.category(c).startswith("P"):
            i += 1
            continue
        token = "".join(chars[i:j]).replace("\u2019", "'")
        out.append((token, origin[i], origin[j - 1] + 1))
        i = j
    return out


def tokens(text):
    return [t for t, _, _ in tokenize(text)]


def load_vocab(path):
    with open(path, encoding="utf-8") as f:
        words = [line.rstrip("\n") for line in f]
    return {w: i for i, w in enumerate(words)}


def encode(text, vocab):
    return [vocab.get(t, UNK_ID) for t in tokens(text)]


if __name__ == "__main__":
    for s in sys.argv[1:]:
        print(" | ".join(tokens(s)))
