"""Training-curve and confusion-matrix PNGs drawn with PIL (matplotlib is not installed here)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONT = ImageFont.load_default()
_COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189),
            (140, 86, 75))


def _line_panel(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], title: str,
                xs: Sequence[float], series: dict[str, Sequence[float]]) -> None:
    x0, y0, x1, y1 = box
    left, bottom, top, right = x0 + 55, y1 - 30, y0 + 25, x1 - 10
    draw.text((x0 + 55, y0 + 5), title, fill="black", font=_FONT)
    values = [v for s in series.values() for v in s if v is not None and np.isfinite(v)]
    if not xs or not values:
        draw.text((left, (top + bottom) // 2), "no data", fill="black", font=_FONT)
        return
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    xmin, xmax = min(xs), max(xs)
    if xmax == xmin:
        xmax = xmin + 1

    def px(x: float, y: float) -> tuple[float, float]:
        return (left + (x - xmin) / (xmax - xmin) * (right - left),
                bottom - (y - lo) / (hi - lo) * (bottom - top))

    draw.rectangle((left, top, right, bottom), outline="black")
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        _, yy = px(xmin, v)
        draw.line((left - 4, yy, left, yy), fill="black")
        draw.line((left + 1, yy, right - 1, yy), fill=(230, 230, 230))
        draw.text((x0 + 2, yy - 6), f"{v:.3f}", fill="black", font=_FONT)
    for i in range(6):
        x = xmin + (xmax - xmin) * i / 5
        xx, _ = px(x, lo)
        draw.line((xx, bottom, xx, bottom + 4), fill="black")
        draw.text((xx - 8, bottom + 6), f"{x:.0f}", fill="black", font=_FONT)
    draw.text(((left + right) // 2 - 15, bottom + 17), "epoch", fill="black", font=_FONT)
    for k, (name, ys) in enumerate(series.items()):
        colour = _COLOURS[k % len(_COLOURS)]
        pts = [px(x, y) for x, y in zip(xs, ys) if y is not None and np.isfinite(y)]
        if len(pts) > 1:
            draw.line(pts, fill=colour, width=2)
        for p in pts if len(pts) < 40 else []:
            draw.ellipse((p[0] - 2, p[1] - 2, p[0] + 2, p[1] + 2), fill=colour)
        # Legend: up to three entries a row, two rows above the plot.
        draw.text((x0 + 300 + 200 * (k % 3), y0 + 2 + 11 * (k // 3)), "-- " + name, fill=colour, font=_FONT)


def plot_curves(history: list[dict], path: Path) -> None:
    """history: the metrics.jsonl records (epoch, train_loss, train_acc, test_acc, ...)."""
    img = Image.new("RGB", (900, 700), "white")
    draw = ImageDraw.Draw(img)
    xs = [h["epoch"] for h in history]
    _line_panel(draw, (0, 0, 900, 350), "training loss (soft-target cross-entropy)",
                xs, {"train loss": [h["train_loss"] for h in history]})
    has_val = any("val_acc" in h for h in history)
    # With a validation split, PublicTest is drawn for reference only: the validation curve chose.
    test_name = "PublicTest acc (not used to choose)" if has_val else "PublicTest acc"
    series = {}
    if has_val:
        series["validation acc (chooses)"] = [h.get("val_acc") for h in history]
    series[test_name] = [h["test_acc"] for h in history]
    series["train acc (augmented)"] = [h["train_acc"] for h in history]
    if any("swa_val_acc" in h for h in history):
        series["validation acc, weight average"] = [h.get("swa_val_acc") for h in history]
    if any("swa_test_acc" in h for h in history):
        series["PublicTest acc, weight average"] = [h.get("swa_test_acc") for h in history]
    _line_panel(draw, (0, 350, 900, 700), "accuracy", xs, series)
    img.save(path)


def plot_confusion(cm: np.ndarray, labels: Sequence[str], path: Path, title: str) -> None:
    """Rows = true class, columns = predicted; cells coloured by row-normalised rate, text = count."""
    n = len(labels)
    cell, left, top = 70, 90, 60
    img = Image.new("RGB", (left + n * cell + 20, top + n * cell + 50), "white")
    draw = ImageDraw.Draw(img)
    draw.text((10, 8), title, fill="black", font=_FONT)
    draw.text((left, 28), "predicted ->", fill="black", font=_FONT)
    rates = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    for j, name in enumerate(labels):
        draw.text((left + j * cell + 5, top - 14), name, fill="black", font=_FONT)
    for i, name in enumerate(labels):
        draw.text((5, top + i * cell + cell // 2 - 6), name, fill="black", font=_FONT)
        for j in range(n):
            r = float(rates[i, j])
            shade = int(255 - 200 * r)
            fill = (shade, shade, 255)
            x, y = left + j * cell, top + i * cell
            draw.rectangle((x, y, x + cell - 1, y + cell - 1), fill=fill, outline=(200, 200, 200))
            colour = "white" if r > 0.5 else "black"
            draw.text((x + 6, y + cell // 2 - 12), f"{int(cm[i, j])}", fill=colour, font=_FONT)
            draw.text((x + 6, y + cell // 2 + 2), f"{100 * r:.1f}%", fill=colour, font=_FONT)
    draw.text((10, top + n * cell + 10), "rows: true class; cell: count and row-normalised rate",
              fill="black", font=_FONT)
    img.save(path)


def plot_reliability(panels: Sequence[tuple[str, Sequence[dict]]], path: Path, title: str) -> None:
    """Reliability diagrams side by side, one per (caption, calibration_bins(...)) panel: a bar per
    confidence bin up to its accuracy, a red tick at its mean confidence (the gap is the
    miscalibration), the diagonal, and the bin's share of rows under the axis."""
    size, margin, gap = 360, 50, 40
    width = margin + len(panels) * (size + gap)
    img = Image.new("RGB", (width, size + 130), "white")
    draw = ImageDraw.Draw(img)
    draw.text((10, 8), title, fill="black", font=_FONT)
    for k, (caption, bins) in enumerate(panels):
        left, top = margin + k * (size + gap), 45
        bottom, right = top + size, left + size
        draw.text((left, top - 16), caption, fill="black", font=_FONT)
        for i in range(6):
            v = i / 5
            y = bottom - v * size
            draw.line((left + 1, y, right - 1, y), fill=(230, 230, 230))
            draw.text((left - 30, y - 6), f"{v:.1f}", fill="black", font=_FONT)
            draw.text((left + v * size - 8, bottom + 4), f"{v:.1f}", fill="black", font=_FONT)
        most = max((b["rows"] for b in bins), default=0) or 1
        for b in bins:
            x0, x1 = left + b["lower"] * size, left + b["upper"] * size
            if b["rows"]:
                draw.rectangle((x0 + 1, bottom - b["accuracy"] * size, x1 - 1, bottom),
                               fill=(160, 190, 230), outline=_COLOURS[0])
                yc = bottom - b["confidence"] * size
                draw.line((x0 + 1, yc, x1 - 1, yc), fill=_COLOURS[1], width=2)
            if b["rows"]:
                draw.rectangle((x0 + 1, bottom + 40 - 18 * b["rows"] / most, x1 - 1, bottom + 40),
                               fill=(200, 200, 200))
        draw.line((left, bottom, right, top), fill="black")
        draw.rectangle((left, top, right, bottom), outline="black")
        draw.text((left, bottom + 44), "x: top probability; bars: accuracy; red: mean confidence;",
                  fill="black", font=_FONT)
        draw.text((left, bottom + 56), "grey: rows per bin (tallest = most)", fill="black", font=_FONT)
    img.save(path)
