"""A webcam in dim light, on grey faces (numpy only): the twin of `src/vision/lab/dim-camera.ts`.

The camera model (issue 56), applied to a 48x48 grey face whose pixels are the scene as a
daylight camera showed it:

    scene      lin = (pixel / 255) ** 2.2                       (undo the 2.2 curve)
    photons    electrons = lin * 1000 * light * time            (white gives 1,000 e- at light 1.0)
    sensor     signal = Poisson(electrons) + Normal(0, 3)       (shot noise, read noise of 3 e-)
    exposure   value = clip(signal * gain / 1000, 0, 1)         (auto: gain = min(8, 1 / light); fixed: 1)
    curve      out = round(255 * value ** (1 / 2.2))
    codec      JPEG at quality 75 (`jpeg_grey`: the luma path of `src/vision/lab/jpeg-loss.ts`)

A backlit face (`backlight`: the background that many times brighter; the auto-exposure meters
light * backlight, cutting the exposure time above daylight and the gain below it) and a lamp's
colour cast (`cast`: each channel collects its own light and noise, as much of both as leaves a
neutral lamp's luma as noisy as the grey camera's; white balance lifts it by 1 / its share up to
2.5x, then the gain and the curve per channel, then the camera's luma 0.299 R + 0.587 G + 0.114 B) are modelled as in the TypeScript one.

Same formulas and constants as the TypeScript one; the noise comes from each side's own seeded
generator (numpy's here), so a seed gives the same statistics in both, not the same pixels. The
noise-free chain (`noise=False`) is the same to the grey level in both (the shared golden values
in `test_low_light.py` and `src/vision/lab/dim-camera.test.ts`).

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
LUMA_WEIGHTS = (0.299, 0.587, 0.114)  # a camera's luma from red, green and blue (BT.601)
MAX_WHITE_BALANCE = 2.5  # the most a webcam's white balance lifts one channel
# A colour channel collects this share of a grey pixel's light, and reads with the square root of
# its read noise, so that under a neutral lamp the luma has the grey camera's mean and noise.
CHANNEL_SHARE = sum(w * w for w in LUMA_WEIGHTS)


def _luma_one(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    y = sum(c * w for c, w in zip(rgb, LUMA_WEIGHTS))
    return tuple(c / y for c in rgb)  # type: ignore[return-value]


# Each lamp's red, green and blue on a neutral face, with a luma of 1 (src/vision/lab/dim-camera.ts).
CASTS = {
    "none": (1.0, 1.0, 1.0),
    "warm": _luma_one((1.0, 0.66, 0.33)),  # a warm-white bulb, about 2,700 K
    "candle": _luma_one((1.0, 0.5, 0.15)),  # candles, amber bar lights, about 1,900 K
}

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
    return exposure_for(light, exposure)[1]


def exposure_for(light: float, exposure: str = "auto", backlight: float = 1.0) -> tuple[float, float]:
    """(time, gain) for a face at `light` whose background is `backlight` times brighter: the
    auto-exposure meters light * backlight; a fixed exposure is (1, 1)."""
    if not light > 0:
        raise ValueError(f"light must be > 0, got {light}")
    if exposure not in EXPOSURES:
        raise ValueError(f"exposure {exposure!r}: expected one of {', '.join(EXPOSURES)}")
    if not (math.isfinite(backlight) and backlight >= 1):
        raise ValueError(f"backlight must be >= 1, got {backlight}")
    if exposure == "fixed":
        return 1.0, 1.0
    metered = light * backlight
    return (1.0 / metered, 1.0) if metered > 1 else (1.0, min(MAX_GAIN, 1.0 / metered))


def white_balance(cast: str) -> tuple[float, float, float]:
    """The white balance's lift of red, green and blue under `cast`: 1 / share, at most 2.5x."""
    if cast not in CASTS:
        raise ValueError(f"cast {cast!r}: expected one of {', '.join(CASTS)}")
    return tuple(min(MAX_WHITE_BALANCE, 1.0 / c) for c in CASTS[cast])  # type: ignore[return-value]


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
           noise: bool = True, backlight: float = 1.0, channel: float = 1.0, balance: float = 1.0,
           read_noise: float = READ_NOISE) -> np.ndarray:
    """The exposed linear value, signal * gain / 1000, before clipping (float64, the shape of
    `images`). `channel`: one colour channel's share of the light; `balance`: what the camera
    multiplies it by before the gain (both 1 for a grey camera)."""
    time, gain = exposure_for(light, exposure, backlight)
    lin = (np.asarray(images, dtype=np.float64) / 255.0) ** GAMMA
    electrons = lin * FULL_WELL * light * time * channel
    if noise:
        if rng is None:
            raise ValueError("a camera with noise needs a seeded rng")
        signal = rng.poisson(electrons) + rng.normal(0.0, read_noise, electrons.shape)
    else:
        signal = electrons
    return signal * balance * gain / FULL_WELL


def camera(images: np.ndarray, light: float, exposure: str = "auto", rng: np.random.Generator | None = None,
           quality: int | None = QUALITY, noise: bool = True, backlight: float = 1.0,
           cast: str = "none") -> np.ndarray:
    """Grey faces [N, H, W] or [H, W] (uint8) as the camera model shows them at `light` (share of
    daylight). `quality=None` leaves out the JPEG step; `noise=False` the shot and read noise;
    `backlight` and `cast` as in the module's notes."""
    def curve(value: np.ndarray) -> np.ndarray:
        return 255.0 * np.clip(value, 0.0, 1.0) ** (1.0 / GAMMA)

    if cast == "none":
        grey = curve(sensor(images, light, exposure, rng, noise, backlight))
    else:
        balance = white_balance(cast)
        read_noise = READ_NOISE * math.sqrt(CHANNEL_SHARE)
        grey = sum(w * curve(sensor(images, light, exposure, rng, noise, backlight, CASTS[cast][c] * CHANNEL_SHARE,
                                    balance[c] / CHANNEL_SHARE, read_noise))
                   for c, w in enumerate(LUMA_WEIGHTS))
    out = np.floor(grey + 0.5)
    return jpeg_grey(out, quality) if quality is not None else out.astype(np.uint8)


def predicted_stats(pixel: float, light: float, exposure: str = "auto", backlight: float = 1.0) -> dict:
    """What the model predicts for a flat patch of grey `pixel`: the mean and variance of the
    exposed linear value (signal * gain / 1000, before clipping: exact) and of the output grey
    level before rounding and JPEG (second-order delta method through the 1/2.2 curve)."""
    time, gain = exposure_for(light, exposure, backlight)
    electrons = (pixel / 255.0) ** GAMMA * FULL_WELL * light * time
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
                  jpeg_max: int = 90, backlight_prob: float = 0.0, backlight_max: float = 8.0,
                  cast_prob: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The camera model with random settings per face, on a batch [N, H, W] of 0..1 floats (the
    faces after the geometric augmentation): light log-uniform in [light_min, light_max], fixed
    exposure with `fixed_prob` (else auto), the camera's curve 2.2 +- `gamma_jitter`, JPEG
    quality uniform in [jpeg_min, jpeg_max]; with `backlight_prob` a background log-uniform 1.5 to
    `backlight_max` times brighter, with `cast_prob` a warm or a candle lamp (half each). Returns
    (faces in 0..1, the lights drawn). With both at 0 it draws exactly what it drew before they existed."""
    n = x.shape[0]
    light = np.exp(rng.uniform(math.log(light_min), math.log(light_max), n))
    fixed = rng.random(n) < fixed_prob
    gamma = GAMMA + rng.uniform(-gamma_jitter, gamma_jitter, n)
    quality = rng.integers(jpeg_min, jpeg_max + 1, n)
    backlight = np.ones(n)
    if backlight_prob > 0:
        lit_from_behind = rng.random(n) < backlight_prob
        ratio = np.exp(rng.uniform(math.log(1.5), math.log(backlight_max), n))
        backlight = np.where(lit_from_behind, ratio, 1.0)
    metered = light * backlight
    time = np.where(fixed | (metered <= 1), 1.0, 1.0 / metered)
    gain = np.where(fixed, 1.0, np.minimum(MAX_GAIN, 1.0 / np.minimum(metered, 1.0)))
    lin = np.clip(x, 0.0, 1.0).astype(np.float64) ** GAMMA  # the face as the scene
    electrons = lin * (FULL_WELL * light * time)[:, None, None]
    inv_gamma = (1.0 / gamma)[:, None, None]
    if cast_prob > 0:
        lamp = np.where(rng.random(n) < cast_prob, np.where(rng.random(n) < 0.5, 1, 2), 0)
    else:
        lamp = np.zeros(n, dtype=np.int64)
    out = np.empty_like(electrons)
    grey = lamp == 0
    if grey.any():
        e = electrons[grey]
        signal = rng.poisson(e) + rng.normal(0.0, READ_NOISE, e.shape)
        value = np.clip(signal * (gain[grey] / FULL_WELL)[:, None, None], 0.0, 1.0)
        out[grey] = 255.0 * value ** inv_gamma[grey]
    read_noise = READ_NOISE * math.sqrt(CHANNEL_SHARE)
    for k, cast in ((1, "warm"), (2, "candle")):
        chosen = lamp == k
        if not chosen.any():
            continue
        e, g, p = electrons[chosen], gain[chosen][:, None, None], inv_gamma[chosen]
        balance = white_balance(cast)
        acc = np.zeros_like(e)
        for c, w in enumerate(LUMA_WEIGHTS):
            ec = e * (CASTS[cast][c] * CHANNEL_SHARE)
            signal = rng.poisson(ec) + rng.normal(0.0, read_noise, ec.shape)
            value = np.clip(signal * (balance[c] / CHANNEL_SHARE) * g / FULL_WELL, 0.0, 1.0)
            acc += w * 255.0 * value ** p
        out[chosen] = acc
    out = np.floor(out + 0.5)
    return jpeg_grey(out, quality).astype(np.float32) / 255.0, light
