"""Training batches augmented by worker processes (train.py --aug-workers N).

On a machine with many cores and a GPU, one run's augmentation on one CPU thread is what the
GPU waits for (the camera model, the distance degradation and the denoising rule are per-face
numpy work). With N workers, each batch is augmented in a process of its own, a few batches
ahead of the step that needs it.

Every batch draws from a generator of its own, seeded from (seed, epoch, step): the batches, and
so the run, are the same for any N >= 1 and after a --resume. (N = 0, the default, keeps the
single per-epoch generator of the runs before, whose batches these are not.)
"""

from __future__ import annotations

from typing import Callable

import torch


def batch_seed(seed: int, epoch: int, step: int) -> int:
    """The seed of one batch's generator: distinct for every (seed, epoch, step) of a run."""
    return ((seed * 100_003 + epoch) * 1_000_003 + step) % (2**63 - 1)


class EpochBatches(torch.utils.data.Dataset):
    """Item `step` of an epoch: (indices, augmented faces, clean faces, mixing seed).

    `augment(images_u8, gen, with_clean)` is train.py's augmentation with the run's arguments;
    `set_epoch` must be called before each epoch's loader is iterated (the workers are forked
    with the epoch and its order).
    """

    def __init__(self, images_u8: torch.Tensor, batch_size: int, seed: int, with_clean: bool,
                 augment: Callable[[torch.Tensor, torch.Generator, bool], object]) -> None:
        self.images, self.batch_size, self.seed = images_u8, batch_size, seed
        self.with_clean, self.augment = with_clean, augment
        self.epoch, self.order = 0, torch.arange(len(images_u8))

    def set_epoch(self, epoch: int, order: torch.Tensor) -> None:
        self.epoch, self.order = epoch, order

    def __len__(self) -> int:
        return -(-len(self.order) // self.batch_size)

    def __getitem__(self, step: int):
        idx = self.order[step * self.batch_size:(step + 1) * self.batch_size]
        gen = torch.Generator().manual_seed(batch_seed(self.seed, self.epoch, step))
        if self.with_clean:
            x, clean = self.augment(self.images[idx], gen, True)
        else:
            x, clean = self.augment(self.images[idx], gen, False), torch.empty(0)
        mix_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=gen))
        return idx, x, clean, mix_seed


def loader(batches: EpochBatches, workers: int, pin_memory: bool) -> torch.utils.data.DataLoader:
    """Workers forked afresh each epoch (they see its order), four batches ahead each."""
    return torch.utils.data.DataLoader(batches, batch_size=None, shuffle=False, num_workers=workers,
                                       prefetch_factor=4, pin_memory=pin_memory,
                                       multiprocessing_context="fork", persistent_workers=False)
