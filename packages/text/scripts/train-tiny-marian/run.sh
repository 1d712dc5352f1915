#!/usr/bin/env bash
# Rebuilds the tiny English→Spanish model committed in packages/text-demo-model/tiny-marian-en-es.
# Needs Debian packages: apertium apertium-eng-spa python3-torch python3-onnx python3-sentencepiece
# libopenblas0-openmp. One thread: on a shared 2-core machine more threads are slower (see README).
# Usage: bash run.sh [work_dir] [training minutes]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-/tmp/tiny-marian}"
minutes="${2:-20}"
out="$here/../../../text-demo-model/tiny-marian-en-es"
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
mkdir -p "$work"
[ -s "$work/pairs.tsv" ] || /usr/bin/python3 "$here/generate.py" "$work" 80000
/usr/bin/python3 "$here/train.py" "$work/pairs.tsv" "$work/model" "$minutes"
mkdir -p "$out/onnx"
cp "$work/model"/{config.json,generation_config.json,tokenizer.json,tokenizer_config.json,heldout.tsv} "$out/"
cp "$work/model/onnx"/{encoder_model.onnx,decoder_model_merged.onnx} "$out/onnx/"
du -sh "$out"
