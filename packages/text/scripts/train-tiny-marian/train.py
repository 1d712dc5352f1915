"""Train a tiny Marian-architecture English→Spanish model and export it in the Hugging Face /
transformers.js layout (config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx).

Usage: python3 train.py <pairs.tsv> <out_dir> [minutes]
Run through run.sh, which sets the CPU environment (1 thread, OpenBLAS).
"""

import json
import math
import os
import random
import sys
import time
from pathlib import Path

import sentencepiece as spm
import torch
import torch.nn.functional as F
from torch import nn

D_MODEL, HEADS, FFN, ENC_LAYERS, DEC_LAYERS, VOCAB_PIECES, MAX_POS = 128, 4, 512, 2, 2, 1800, 128
HEAD_DIM = D_MODEL // HEADS
EOS, UNK = 0, 1
SEED = 13


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D_MODEL, D_MODEL) for _ in range(4))

    def heads(self, x):  # [B, L, D] -> [B, H, L, hd]
        return x.reshape(x.shape[0], -1, HEADS, HEAD_DIM).transpose(1, 2)

    def kv(self, x):
        return self.heads(self.k(x)), self.heads(self.v(x))

    def attend(self, x, k, v, bias):
        q = self.heads(self.q(x)) * (HEAD_DIM**-0.5)
        w = torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        out = (w @ v).transpose(1, 2).reshape(x.shape[0], -1, D_MODEL)
        return self.o(out)


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn, self.ln1, self.ln2 = Attention(), nn.LayerNorm(D_MODEL), nn.LayerNorm(D_MODEL)
        self.ff = nn.Sequential(nn.Linear(D_MODEL, FFN), nn.GELU(), nn.Linear(FFN, D_MODEL))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        h = self.ln1(x)
        k, v = self.attn.kv(h)
        x = x + self.drop(self.attn.attend(h, k, v, bias))
        return x + self.drop(self.ff(self.ln2(x)))


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn, self.cross = Attention(), Attention()
        self.ln1, self.ln2, self.ln3 = (nn.LayerNorm(D_MODEL) for _ in range(3))
        self.ff = nn.Sequential(nn.Linear(D_MODEL, FFN), nn.GELU(), nn.Linear(FFN, D_MODEL))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, self_bias, past_k, past_v, memory, cross_bias):
        h = self.ln1(x)
        k, v = self.self_attn.kv(h)
        if past_k is not None:
            k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        x = x + self.drop(self.self_attn.attend(h, k, v, self_bias))
        ck, cv = self.cross.kv(memory)
        x = x + self.drop(self.cross.attend(self.ln2(x), ck, cv, cross_bias))
        x = x + self.drop(self.ff(self.ln3(x)))
        return x, k, v, ck, cv


def sinusoids(n, d):
    pos = torch.arange(n, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    table = torch.zeros(n, d)
    table[:, 0::2], table[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return table


class Marian(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embed = nn.Embedding(vocab, D_MODEL)
        nn.init.normal_(self.embed.weight, std=D_MODEL**-0.5)
        self.register_buffer("pos", sinusoids(MAX_POS, D_MODEL))
        self.enc = nn.ModuleList(EncoderLayer() for _ in range(ENC_LAYERS))
        self.dec = nn.ModuleList(DecoderLayer() for _ in range(DEC_LAYERS))
        self.enc_ln, self.dec_ln = nn.LayerNorm(D_MODEL), nn.LayerNorm(D_MODEL)
        self.final_bias = nn.Parameter(torch.zeros(vocab))
        self.drop = nn.Dropout(0.1)

    def embed_at(self, ids, positions):
        return self.drop(self.embed(ids) * math.sqrt(D_MODEL) + self.pos[positions])

    def encode(self, ids, mask):
        positions = (torch.cumsum(torch.ones_like(ids), 1) - 1).clamp(max=MAX_POS - 1)
        x = self.embed_at(ids, positions)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
        for layer in self.enc:
            x = layer(x, bias)
        return self.enc_ln(x)

    def decode(self, ids, memory, memory_mask, past):
        """past: list of (k, v) per layer, each [B, H, P, hd] (P may be 0), or None when training."""
        ones = torch.ones_like(ids)
        if past is None:
            p = torch.zeros_like(ids[:, :1])
        else:
            p = torch.ones_like(past[0][0][:, 0, :, 0]).sum(1, keepdim=True).to(ids.dtype)
        positions = (torch.cumsum(ones, 1) - 1 + p).clamp(max=MAX_POS - 1)
        x = self.embed_at(ids, positions)
        # causal mask over absolute positions: key j is visible to query i when j <= i
        q_pos = positions[0].to(x.dtype)
        total = torch.cat([torch.ones_like(past[0][0][0, 0, :, 0]), torch.ones_like(q_pos)]) if past is not None else torch.ones_like(q_pos)
        k_pos = torch.cumsum(total, 0) - 1
        self_bias = (k_pos[None, :] > q_pos[:, None]).to(x.dtype)[None, None] * -1e9
        cross_bias = (1.0 - memory_mask[:, None, None, :].to(x.dtype)) * -1e9
        presents = []
        for i, layer in enumerate(self.dec):
            pk, pv = (past[i] if past is not None else (None, None))
            x, k, v, ck, cv = layer(x, self_bias, pk, pv, memory, cross_bias)
            presents.append((k, v, ck, cv))
        logits = self.dec_ln(x) @ self.embed.weight.t() + self.final_bias
        return logits, presents


def load_pairs(path):
    pairs = []
    for line in open(path, encoding="utf-8"):
        en, es = line.rstrip("\n").split("\t")
        pairs.append((en, es))
    return pairs


def train_tokenizer(pairs, out_dir):
    corpus = out_dir / "spm-corpus.txt"
    with open(corpus, "w", encoding="utf-8") as f:
        for en, es in pairs:
            f.write(en + "\n" + es + "\n")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(out_dir / "spm"), vocab_size=int(os.environ.get("SPM_VOCAB", VOCAB_PIECES)), model_type="unigram",
        character_coverage=1.0, eos_id=EOS, unk_id=UNK, bos_id=-1, pad_id=-1, normalization_rule_name="identity",
        num_threads=1, minloglevel=2,
    )
    corpus.unlink()
    return spm.SentencePieceProcessor(model_file=str(out_dir / "spm.model"))


def write_hf_files(sp, out_dir, vocab):
    pad = vocab - 1
    pieces = [[sp.id_to_piece(i), sp.get_score(i)] for i in range(sp.get_piece_size())] + [["<pad>", 0.0]]
    special = lambda i, c: {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                            "normalized": False, "special": True}
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [special(EOS, "</s>"), special(UNK, "<unk>"), special(pad, "<pad>")],
        "normalizer": None,
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [EOS], "tokens": ["</s>"]}},
        },
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": UNK, "vocab": pieces, "byte_fallback": False},
    }
    json.dump(tokenizer, open(out_dir / "tokenizer.json", "w", encoding="utf-8"), ensure_ascii=False)
    json.dump({
        "tokenizer_class": "MarianTokenizer", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "model_max_length": MAX_POS, "source_lang": "en", "target_lang": "es", "separate_vocabs": False,
    }, open(out_dir / "tokenizer_config.json", "w"), indent=2)
    config = {
        "architectures": ["MarianMTModel"], "model_type": "marian", "is_encoder_decoder": True,
        "vocab_size": vocab, "d_model": D_MODEL, "encoder_layers": ENC_LAYERS, "decoder_layers": DEC_LAYERS,
        "encoder_attention_heads": HEADS, "decoder_attention_heads": HEADS, "encoder_ffn_dim": FFN,
        "decoder_ffn_dim": FFN, "max_position_embeddings": MAX_POS, "scale_embedding": True,
        "normalize_before": True, "activation_function": "gelu", "pad_token_id": pad, "eos_token_id": EOS,
        "decoder_start_token_id": pad, "forced_eos_token_id": EOS, "bad_words_ids": [[pad]],
        "num_beams": 1, "max_length": 64, "use_cache": True, "share_encoder_decoder_embeddings": True,
    }
    json.dump(config, open(out_dir / "config.json", "w"), indent=2)
    json.dump({
        "decoder_start_token_id": pad, "eos_token_id": EOS, "pad_token_id": pad, "forced_eos_token_id": EOS,
        "bad_words_ids": [[pad]], "max_length": 64, "num_beams": 1,
    }, open(out_dir / "generation_config.json", "w"), indent=2)


class EncoderExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states, *flat_past):
        past = [(flat_past[4 * i], flat_past[4 * i + 1]) for i in range(DEC_LAYERS)]
        logits, presents = self.m.decode(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        # The cross-attention keys/values are recomputed each step (cheap at this size); the past
        # encoder inputs are kept as graph inputs, as transformers.js feeds them.
        keep = sum(flat_past[4 * i + 2].sum() + flat_past[4 * i + 3].sum() for i in range(DEC_LAYERS)) * 0.0
        out = [logits + keep]
        for k, v, ck, cv in presents:
            out += [k, v, ck, cv]
        return tuple(out)


def export(model, out_dir, vocab):
    model.eval()
    onnx_dir = out_dir / "onnx"
    onnx_dir.mkdir(exist_ok=True)
    ids = torch.tensor([[5, 6, 7, EOS], [5, 6, EOS, vocab - 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    seq = {0: "batch_size", 1: "encoder_sequence_length"}
    torch.onnx.export(EncoderExport(model), (ids, mask), str(onnx_dir / "encoder_model.onnx"),
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": seq, "attention_mask": seq, "last_hidden_state": seq},
                      opset_version=14, do_constant_folding=True)
    memory = model.encode(ids, mask).detach()
    dec_ids = torch.tensor([[vocab - 1], [vocab - 1]])
    names, outs, axes, flat = [], ["logits"], {}, []
    axes["encoder_attention_mask"] = seq
    axes["encoder_hidden_states"] = seq
    axes["input_ids"] = {0: "batch_size", 1: "decoder_sequence_length"}
    axes["logits"] = {0: "batch_size", 1: "decoder_sequence_length"}
    for i in range(DEC_LAYERS):
        for kind, length in (("decoder", "past_decoder_sequence_length"), ("encoder", "encoder_sequence_length_out")):
            for kv in ("key", "value"):
                n = f"past_key_values.{i}.{kind}.{kv}"
                names.append(n)
                axes[n] = {0: "batch_size", 2: length}
                o = f"present.{i}.{kind}.{kv}"
                outs.append(o)
                axes[o] = {0: "batch_size", 2: length if kind == "encoder" else "past_decoder_sequence_length + 1"}
                flat.append(torch.randn(2, HEADS, 3 if kind == "decoder" else 4, HEAD_DIM))
    torch.onnx.export(DecoderExport(model), (mask, dec_ids, memory, *flat), str(onnx_dir / "decoder_model_merged.onnx"),
                      input_names=["encoder_attention_mask", "input_ids", "encoder_hidden_states", *names],
                      output_names=outs, dynamic_axes=axes, opset_version=14, do_constant_folding=True)


@torch.no_grad()
def greedy(model, sp, texts, vocab, max_len=48):
    model.eval()
    pad = vocab - 1
    enc = [sp.encode(t) + [EOS] for t in texts]
    width = max(map(len, enc))
    ids = torch.tensor([e + [pad] * (width - len(e)) for e in enc])
    mask = (torch.arange(width)[None, :] < torch.tensor([len(e) for e in enc])[:, None]).long()
    memory = model.encode(ids, mask)
    out = torch.full((len(texts), 1), pad)
    done = torch.zeros(len(texts), dtype=torch.bool)
    for _ in range(max_len):
        logits, _ = model.decode(out, memory, mask, None)
        nxt = logits[:, -1].argmax(-1)
        nxt[done] = pad
        out = torch.cat([out, nxt[:, None]], 1)
        done |= nxt == EOS
        if done.all():
            break
    return [sp.decode([t for t in row[1:].tolist() if t not in (EOS, pad)]) for row in out]


def main():
    pairs_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    minutes = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    pairs = load_pairs(pairs_path)
    rng.shuffle(pairs)
    held, train = pairs[:300], pairs[300:]
    with open(out_dir / "heldout.tsv", "w", encoding="utf-8") as f:
        for en, es in held:
            f.write(f"{en}\t{es}\n")
    sp = train_tokenizer(train, out_dir)
    vocab = sp.get_piece_size() + 1
    pad = vocab - 1
    data = [(sp.encode(en) + [EOS], sp.encode(es) + [EOS]) for en, es in train]
    data.sort(key=lambda p: len(p[0]))
    batch_size = 128
    batches = [data[i : i + batch_size] for i in range(0, len(data), batch_size)]
    model = Marian(vocab)
    print(f"vocab {vocab}, parameters {sum(p.numel() for p in model.parameters()):,}, batches/epoch {len(batches)}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.98), eps=1e-9)
    # STEPS pins the step count (the committed model: 3246); otherwise it follows the time budget.
    warmup, start, step, total = 300, time.time(), 0, (int(os.environ["STEPS"]) if os.environ.get("STEPS") else None)
    budget = minutes * 60
    while True:
        rng.shuffle(batches)
        for b in batches:
            if total is None and step == 50:
                per = (time.time() - start) / 50
                total = max(60, int(budget / per))
                print(f"{per:.3f} s/step -> {total} steps", flush=True)
            if total is not None and step >= total:
                break
            frac = step / (total or 10**6)
            lr = 2e-3 * min(1.0, (step + 1) / warmup) * (0.5 * (1 + math.cos(math.pi * min(1.0, frac))) if step > warmup else 1.0)
            for g in opt.param_groups:
                g["lr"] = lr
            sw = max(len(s) for s, _ in b)
            tw = max(len(t) for _, t in b) + 1
            src = torch.tensor([s + [pad] * (sw - len(s)) for s, _ in b])
            smask = (src != pad).long()
            tgt = torch.tensor([[pad] + t + [pad] * (tw - 1 - len(t)) for _, t in b])
            dec_in, labels = tgt[:, :-1], tgt[:, 1:].clone()
            labels[labels == pad] = -100
            model.train()
            logits, _ = model.decode(dec_in, model.encode(src, smask), smask, None)
            loss = F.cross_entropy(logits.reshape(-1, vocab), labels.reshape(-1), ignore_index=-100, label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 200 == 0:
                print(f"step {step}/{total} loss {loss.item():.3f} lr {lr:.5f} {time.time() - start:.0f}s", flush=True)
        else:
            continue
        break
    hyp = greedy(model, sp, [en for en, _ in held[:200]], vocab)
    exact = sum(h == es for h, (_, es) in zip(hyp, held[:200]))
    print(f"held-out exact match {exact}/200", flush=True)
    for h, (en, es) in list(zip(hyp, held))[:8]:
        print(f"  {en} -> {h}   [{es}]")
    print("the cat ->", greedy(model, sp, ["the cat", "The dog eats an apple.", "the big house"], vocab))
    torch.save(model.state_dict(), out_dir / "model.pt")
    write_hf_files(sp, out_dir, vocab)
    export(model, out_dir, vocab)
    print("exported", flush=True)


if __name__ == "__main__":
    main()
