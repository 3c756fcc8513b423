"""The Moodbox emotion CNN: a compact VGG-style net for 48x48 grey faces, 7 FER-2013 classes.

Only Conv, BatchNorm (folded at export), ReLU, MaxPool, GlobalAveragePool, Flatten and Gemm, so the
exported graph quantizes cleanly to int8.

Layout for width w (channels w, 2w, 4w, 8w):
    48x48: conv3x3(1->w)                          -> maxpool -> 24x24
    24x24: conv3x3(w->2w),  conv3x3(2w->2w)       -> maxpool -> 12x12
    12x12: conv3x3(2w->4w), conv3x3(4w->4w)       -> maxpool -> 6x6
     6x6 : conv3x3(4w->8w), conv3x3(8w->8w)       -> global average pool -> dropout -> linear(8w->7)
A single conv at full resolution keeps the cost low: the 48x48 stage is where a second conv would
cost as much as a whole later stage.
"""

from __future__ import annotations

import torch
from torch import nn

NUM_CLASSES = 7
# Preprocessing contract (the daemon implements the same): x = (pixel/255 - MEAN) / STD, NCHW [N,1,48,48].
MEAN = 0.5
STD = 0.25
INPUT_SIZE = 48


def _conv_bn_relu(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class EmotionNet(nn.Module):
    def __init__(self, width: int = 32, dropout: float = 0.3, num_classes: int = NUM_CLASSES):
        super().__init__()
        w = width
        layers: list[nn.Module] = []
        layers += _conv_bn_relu(1, w) + [nn.MaxPool2d(2)]
        layers += _conv_bn_relu(w, 2 * w) + _conv_bn_relu(2 * w, 2 * w) + [nn.MaxPool2d(2)]
        layers += _conv_bn_relu(2 * w, 4 * w) + _conv_bn_relu(4 * w, 4 * w) + [nn.MaxPool2d(2)]
        layers += _conv_bn_relu(4 * w, 8 * w) + _conv_bn_relu(8 * w, 8 * w)
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(8 * w, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x)).flatten(1)
        return self.fc(self.dropout(x))


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module, size: int = INPUT_SIZE) -> int:
    """Multiply-accumulates of one 1x1xsize x size forward pass (convs and linear layers only)."""
    macs = 0

    def conv_hook(m: nn.Conv2d, _inp, out):
        nonlocal macs
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        macs += out.numel() * k

    def fc_hook(m: nn.Linear, _inp, out):
        nonlocal macs
        macs += m.in_features * m.out_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(fc_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, size, size))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return macs
