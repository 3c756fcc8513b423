"""Faces at a distance: start from the shipped ONNX model, and degrade training faces as a camera does.

A face 16-35 px wide in a café frame reaches the model shrunk and scaled back up to 48x48
(`src/vision/face-crops.ts`: INTER_CUBIC up), often blurred and JPEG-compressed by the webcam.
`degrade` reproduces that on a batch, so fine-tuning teaches the model to read such faces:

    shrink to S px (area average, as INTER_AREA), S uniform in [shrink_min, shrink_max]
    -> optional Gaussian blur at that size -> optional JPEG at that size (PIL)
    -> back to 48 px (bicubic, a = -0.75, half-pixel centres, clamped to 0..1: OpenCV's INTER_CUBIC;
       `restore="bilinear"` is INTER_LINEAR, as the daemon scaled small faces before)

The daemon also smooths a small face at its own size when it is grainy, before scaling it up
(`src/vision/denoise-small-face.ts`: a dim room's sensor grain); `shrunk_images` does not. A face
shrunk from a clean picture is rarely that grainy, so its figures here and `moodbox eval --shrink`'s
differ by a few faces (PublicTest, int8: 24 px 5 faces, 16 px 4, 12 px 16).

`load_onnx_weights` puts the weights of an exported (BatchNorm-folded) model back into
`EmotionNet`: each folded conv's weight into the conv, its bias into the BatchNorm's shift, and
the BatchNorm set to the identity (mean 0, variance 1 - eps, scale 1). With `freeze_bn` the
statistics stay fixed while fine-tuning, so training starts exactly from the shipped function.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image
from torch import nn

from fer_model import EmotionNet


def load_onnx_weights(model: EmotionNet, path: str) -> None:
    """Load a float model written by export_onnx.py (Conv x7 then Gemm) into `model` in place."""
    graph = onnx.load(path).graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    gemms = [n for n in graph.node if n.op_type == "Gemm"]
    pairs = []
    mods = list(model.features)
    for i, m in enumerate(mods):
        if isinstance(m, nn.Conv2d):
            pairs.append((m, mods[i + 1]))
    if len(convs) != len(pairs) or len(gemms) != 1:
        raise ValueError(f"{path}: {len(convs)} Conv and {len(gemms)} Gemm nodes; the network has "
                         f"{len(pairs)} convolutions and one linear layer")
    with torch.no_grad():
        for node, (conv, bn) in zip(convs, pairs):
            w, b = inits[node.input[1]], inits[node.input[2]]
            if tuple(w.shape) != tuple(conv.weight.shape):
                raise ValueError(f"{path}: conv {node.name} has shape {w.shape}, expected "
                                 f"{tuple(conv.weight.shape)} (another --width?)")
            conv.weight.copy_(torch.from_numpy(w.copy()))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(b.copy()))
        gemm = gemms[0]
        w, b = inits[gemm.input[1]], inits[gemm.input[2]]
        trans_b = next((a.i for a in gemm.attribute if a.name == "transB"), 0)
        if not trans_b:
            w = w.T
        model.fc.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
        model.fc.bias.copy_(torch.from_numpy(b.copy()))


def freeze_batchnorm(model: nn.Module) -> None:
    """Keep every BatchNorm in inference mode (fixed statistics) while the rest trains."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.eval()


RESTORE_MODES = ("bicubic", "bilinear")


def restore(small: torch.Tensor, out: int, mode: str = "bicubic") -> torch.Tensor:
    """A shrunk face [N,1,s,s] in 0..1 scaled back up to out x out as the daemon does (see the module's docstring)."""
    if mode not in RESTORE_MODES:
        raise ValueError(f"restore mode {mode!r}: expected one of {', '.join(RESTORE_MODES)}")
    y = F.interpolate(small, size=(out, out), mode=mode, align_corners=False)
    # Bicubic overshoots at edges; OpenCV saturates the 8-bit result.
    return y.clamp(0, 1) if mode == "bicubic" else y


def shrink_and_restore(x: torch.Tensor, size: int, out: int = 48, mode: str = "bicubic") -> torch.Tensor:
    """[N,1,H,W] in 0..1 -> shrunk to size x size (area) -> back to out x out (`restore`)."""
    small = F.interpolate(x, size=(size, size), mode="area")
    return restore(small, out, mode)


def _gaussian_blur(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Separable Gaussian blur, one sigma per image (reflect padding)."""
    n = x.shape[0]
    radius = 2
    t = torch.arange(-radius, radius + 1, dtype=x.dtype, device=x.device)
    k = torch.exp(-(t.view(1, -1) ** 2) / (2 * sigma.view(-1, 1) ** 2))
    k = k / k.sum(1, keepdim=True)  # [N, 5]
    xp = F.pad(x, (radius, radius, radius, radius), mode="reflect")
    # Grouped convolution: each image is its own group.
    xp = xp.view(1, n, *xp.shape[2:])
    h = F.conv2d(xp, k.view(n, 1, 1, -1), groups=n)
    v = F.conv2d(h, k.view(n, 1, -1, 1), groups=n)
    return v.view(n, 1, *v.shape[2:])


_jpeg_pool: ThreadPoolExecutor | None = None


def _jpeg_one(arr: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(arr, mode="L").save(buf, format="JPEG", quality=int(quality))
    buf.seek(0)
    return np.asarray(Image.open(buf), dtype=np.float32) / 255.0


def _jpeg(x: torch.Tensor, quality: list[int]) -> torch.Tensor:
    """JPEG at each image's quality (PIL, on the CPU, a few threads: PIL releases the GIL)."""
    global _jpeg_pool
    if _jpeg_pool is None:
        _jpeg_pool = ThreadPoolExecutor(max_workers=4)
    arrs = (x[:, 0].clamp(0, 1) * 255).round().to(torch.uint8).cpu().numpy()
    out = list(_jpeg_pool.map(_jpeg_one, arrs, quality))
    return torch.from_numpy(np.stack(out)).unsqueeze(1).to(x.device)


def degrade(x: torch.Tensor, shrink_prob: float, shrink_min: int, shrink_max: int, blur_prob: float,
            jpeg_prob: float, gen: torch.Generator, mode: str = "bicubic") -> torch.Tensor:
    """Camera-distance degradation of a batch [N,1,48,48] in 0..1 (see the module's docstring).

    The draws come from `gen` (a CPU generator); the images stay on their device (JPEG is done on
    the CPU)."""
    n, size, dev = x.shape[0], x.shape[-1], x.device
    if shrink_prob <= 0:
        return x
    chosen = torch.rand(n, generator=gen) < shrink_prob
    sizes = torch.randint(shrink_min, shrink_max + 1, (n,), generator=gen)
    blur = torch.rand(n, generator=gen) < blur_prob
    sigma = 0.4 + 0.6 * torch.rand(n, generator=gen)
    jpeg = torch.rand(n, generator=gen) < jpeg_prob
    quality = torch.randint(35, 91, (n,), generator=gen)
    out = x.clone()
    for s in torch.unique(sizes[chosen]).tolist():
        idx = torch.nonzero(chosen & (sizes == s)).flatten()
        small = F.interpolate(x[idx.to(dev)], size=(s, s), mode="area")
        b = blur[idx]
        if b.any():
            small[b.to(dev)] = _gaussian_blur(small[b.to(dev)], sigma[idx][b].to(dev))
        j = jpeg[idx]
        if j.any():
            small[j.to(dev)] = _jpeg(small[j.to(dev)], quality[idx][j].tolist())
        out[idx.to(dev)] = restore(small, size, mode)
    return out


def shrunk_images(images_u8: torch.Tensor, size: int, mode: str = "bicubic") -> torch.Tensor:
    """uint8 [N,48,48] as a face of `size` px reaches the model (for evaluation), uint8 again."""
    if size >= images_u8.shape[-1]:
        return images_u8
    x = images_u8.float().unsqueeze(1) / 255.0
    y = shrink_and_restore(x, size, images_u8.shape[-1], mode)
    return (y * 255).round().clamp(0, 255).to(torch.uint8).squeeze(1)


