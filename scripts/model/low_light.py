"""A webcam in dim light, on grey faces (numpy only): the twin of `src/vision/low-light.ts`.

The camera model (issue 56), applied to a 48x48 grey face whose pixels are the scene as a
daylight camera showed it:

    scene      lin = (pixel / 255) ** 2.2                       (undo the 2.2 curve)
    photons    electrons = lin * 1000 * light                   (white gives 1,000 e- at light 1.0)
    sensor     signal = Poisson(electrons) + Normal(0, 3)       (shot noise, read noise of 3 e-)
    exposure   value = clip(signal * gain / 1000, 0, 1)         (auto: gain = min(8, 1 / light); fixed: 1)
    curve      out = round(255 * value ** (1 / 2.2))
    codec      JPEG at quality 75 (`jpeg_grey`: the luma path of `src/vision/jpeg-loss.ts`)

Same formulas and constants as the TypeScript one; the noise comes from each side's own seeded
generator (numpy's here), so a seed gives the same statistics in both, not the same pixels. The
noise-free chain (`noise=False`) is the same to the grey level in both (the shared golden values
in `test_low_light.py` and `src/vision/low-light.test.ts`).

`predicted_stats` is the model's own prediction of a flat patch's mean and variance (exact
before the curve, second-order delta method after it), which the tests hold the samples to.
`augment_batch` is the training augmentation `train.py --light-prob` draws from it.
"""

from __future__ import annotations

import math

import numpy as np

FULL_WELL = 1000.0  # electrons from the scene's white at daylight (light = 1.0)
READ_NOISE = 3.0  # electrons, standard deviation
MAX_GAIN = 8.0  # auto-exposure's largest digital gain
GAMMA = 2.2
QUALITY = 75
EXPOSURES = ("auto", "fixed")

# T.81 Annex K, table K.1 (luminance at quality 50), row-major [v, u].
LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], dtype=np.float64).reshape(8, 8)

# BASIS[u, x] = C(u) / 2 * cos((2x + 1) u pi / 16): the orthonormal 8-point DCT-II.
BASIS = np.array([[(math.sqrt(0.5) if u == 0 else 1.0) * 0.5 * math.cos((2 * x + 1) * u * math.pi / 16)
                   for x in range(8)] for u in range(8)])


def gain_for(light: float, exposure: str) -> float:
    """The digital gain the camera applies: auto-exposure brings white back up, at most 8x."""
    if not light > 0:
        raise ValueError(f"light must be > 0, got {light}")
    if exposure not in EXPOSURES:
        raise ValueError(f"exposure {exposure!r}: expected one of {', '.join(EXPOSURES)}")
    return min(MAX_GAIN, 1.0 / light) if exposure == "auto" else 1.0


def quantisation_table(quality: int) -> np.ndarray:
    """libjpeg's luminance table for `quality` (1-100), [v, u]."""
    if not (isinstance(quality, (int, np.integer)) and 1 <= quality <= 100):
        raise ValueError(f"quality must be an integer in [1, 100], got {quality}")
    scale = 5000 / quality if quality < 50 else 200 - 2 * quality
    return np.clip(np.floor((LUMA * scale + 50) / 100), 1, 255)


def jpeg_grey(images: np.ndarray, quality) -> np.ndarray:
    """Grey images [N, H, W] (0..255) as a JPEG of `quality` (one int, or one per image) decodes:
    each 8x8 block's DCT quantised with libjpeg's scaled luminance table; partial blocks padded by
    repeating the edge. Returns uint8 [N, H, W]."""
    x = np.asarray(images, dtype=np.float64)
    single = x.ndim == 2
    if single:
        x = x[None]
    n, h, w = x.shape
    qs = np.broadcast_to(np.asarray(quality), (n,))
    tables = np.stack([quantisation_table(int(q)) for q in qs])[:, None, None]  # [N,1,1,8,8]
    ph, pw = -(-h // 8) * 8, -(-w // 8) * 8
    x = np.pad(x, ((0, 0), (0, ph - h), (0, pw - w)), mode="edge") - 128
    blocks = x.reshape(n, ph // 8, 8, pw // 8, 8).transpose(0, 1, 3, 2, 4)  # [N, by, bx, y, x]
    coef = BASIS @ blocks @ BASIS.T  # [v, u]
    coef = np.floor(coef / tables + 0.5) * tables
    back = BASIS.T @ coef @ BASIS
    out = np.clip(back + 128, 0, 255).transpose(0, 1, 3, 2, 4).reshape(n, ph, pw)[:, :h, :w]
    out = np.floor(out + 0.5).astype(np.uint8)
    return out[0] if single else out


def sensor(images: np.ndarray, light: float, exposure: str = "auto", rng: np.random.Generator | None = None,
           noise: bool = True) -> np.ndarray:
    """The exposed linear value, signal * gain / 1000, before clipping (float64, the shape of `images`)."""
    gain = gain_for(light, exposure)
    lin = (np.asarray(images, dtype=np.float64) / 255.0) ** GAMMA
    electrons = lin * FULL_WELL * light
    if noise:
        if rng is None:
            raise ValueError("a camera with noise needs a seeded rng")
        signal = rng.poisson(electrons) + rng.normal(0.0, READ_NOISE, electrons.shape)
    else:
        signal = electrons
    return signal * gain / FULL_WELL


def camera(images: np.ndarray, light: float, exposure: str = "auto", rng: np.random.Generator | None = None,
           quality: int | None = QUALITY, noise: bool = True) -> np.ndarray:
    """Grey faces [N, H, W] or [H, W] (uint8) as the camera model shows them at `light` (share of
    daylight). `quality=None` leaves out the JPEG step; `noise=False` the shot and read noise."""
    value = np.clip(sensor(images, light, exposure, rng, noise), 0.0, 1.0)
    out = np.floor(255.0 * value ** (1.0 / GAMMA) + 0.5)
    return jpeg_grey(out, quality) if quality is not None else out.astype(np.uint8)


def predicted_stats(pixel: float, light: float, exposure: str = "auto") -> dict:
    """What the model predicts for a flat patch of grey `pixel`: the mean and variance of the
    exposed linear value (signal * gain / 1000, before clipping: exact) and of the output grey
    level before rounding and JPEG (second-order delta method through the 1/2.2 curve)."""
    gain = gain_for(light, exposure)
    electrons = (pixel / 255.0) ** GAMMA * FULL_WELL * light
    mean = electrons * gain / FULL_WELL
    var = (electrons + READ_NOISE ** 2) * (gain / FULL_WELL) ** 2
    p = 1.0 / GAMMA
    f = 255.0 * mean ** p
    f1 = 255.0 * p * mean ** (p - 1)
    f2 = 255.0 * p * (p - 1) * mean ** (p - 2)
    return {"electrons": electrons, "gain": gain, "linear_mean": mean, "linear_var": var,
            "out_mean": f + 0.5 * f2 * var, "out_var": f1 ** 2 * var}


def augment_batch(x: np.ndarray, rng: np.random.Generator, light_min: float = 0.03, light_max: float = 1.0,
                  fixed_prob: float = 0.25, gamma_jitter: float = 0.2, jpeg_min: int = 60,
                  jpeg_max: int = 90) -> tuple[np.ndarray, np.ndarray]:
    """The camera model with random settings per face, on a batch [N, H, W] of 0..1 floats (the
    faces after the geometric augmentation): light log-uniform in [light_min, light_max], fixed
    exposure with `fixed_prob` (else auto), the camera's curve 2.2 +- `gamma_jitter`, JPEG
    quality uniform in [jpeg_min, jpeg_max]. Returns (faces in 0..1, the lights drawn)."""
    n = x.shape[0]
    light = np.exp(rng.uniform(math.log(light_min), math.log(light_max), n))
    fixed = rng.random(n) < fixed_prob
    gain = np.where(fixed, 1.0, np.minimum(MAX_GAIN, 1.0 / light))
    gamma = GAMMA + rng.uniform(-gamma_jitter, gamma_jitter, n)
    quality = rng.integers(jpeg_min, jpeg_max + 1, n)
    lin = np.clip(x, 0.0, 1.0).astype(np.float64) ** GAMMA  # the face as the scene
    electrons = lin * (FULL_WELL * light)[:, None, None]
    signal = rng.poisson(electrons) + rng.normal(0.0, READ_NOISE, electrons.shape)
    value = np.clip(signal * (gain / FULL_WELL)[:, None, None], 0.0, 1.0)
    out = np.floor(255.0 * value ** (1.0 / gamma)[:, None, None] + 0.5)
    return jpeg_grey(out, quality).astype(np.float32) / 255.0, light
