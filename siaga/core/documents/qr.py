"""QR codes at print speed: the same symbol as `segno.make(text, error="m", micro=False,
boost_error=False, mask=0)`, a hundred times faster.

segno takes about 8 ms a code, nearly all of it in pure-Python bit work that is the same for
every code of one version, and the regency's 4,600 cards must print in seconds. So segno lays
out each version once (`_Layout`: its finder, timing and alignment patterns, format and version
information, and the order in which the message's bits are placed), and a code is then its
data codewords (byte mode), their Reed-Solomon error correction as a linear map over GF(2)
(one 0/1 matrix per block size: RS is linear, so a block's parity bits are its data bits
times that matrix, mod 2), and one numpy scatter of the bits, masked, into the layout. The
mask is fixed (cards.py says why). Tested equal to segno on random tokens.
"""

from __future__ import annotations

from functools import cache
from itertools import zip_longest
from typing import Any, cast

import numpy as np
from segno import consts
from segno import encoder as seg

_CAPACITY = cast(dict[int, dict[int, int]], consts.SYMBOL_CAPACITY)  # bits, by version and level
_ECC = cast(dict[int, dict[int, list[Any]]], consts.ECC)  # the RS blocks, by version and level
ERROR = consts.ERROR_LEVEL_M
MASK = 0  # (row + column) % 2 == 0


class TooLong(ValueError):
    pass


def _count_bits(version: int) -> int:
    return 8 if version < 10 else 16  # byte mode's character count


def version_for(length: int) -> int:
    """The smallest QR version (1-40) holding `length` bytes at level M."""
    for version in range(1, 41):
        if 4 + _count_bits(version) + 8 * length <= _CAPACITY[version][ERROR]:
            return version
    raise TooLong(f"{length} bytes do not fit a QR code")


def _parity_matrix(data: int, errors: int) -> np.ndarray:
    """The (8 * data) x (8 * errors) 0/1 matrix of RS parity: row b is the parity of the data
    block whose only set bit is b (most significant bit of byte 0 first). In float32: numpy
    multiplies floats through BLAS, twenty times faster than integers, and the sums (at most
    8 * data, under 2**24) stay exact."""
    gen = consts.GEN_POLY[errors]
    rows = []
    for bit in range(8 * data):
        block = bytearray(data + errors)
        block[bit // 8] = 0x80 >> (bit % 8)
        for k in range(data):  # segno's extended synthetic division
            coef = block[k]
            if coef:
                lcoef = consts.GALIOS_LOG[coef]
                for n in range(errors):
                    block[k + n + 1] ^= consts.GALIOS_EXP[lcoef + gen[n]]
        rows.append(np.unpackbits(np.frombuffer(bytes(block[data:]), dtype=np.uint8)))
    return np.array(rows, dtype=np.float32)


class _Layout:
    """Everything of one version's symbol that does not depend on the text, with `border`
    modules of quiet zone around it."""

    def __init__(self, version: int, border: int) -> None:
        self.version = version
        w = seg.calc_matrix_size(version)
        matrix = seg.make_matrix(w, w)
        seg.add_finder_patterns(matrix, w, w)
        seg.add_alignment_patterns(matrix, w, w)
        cells = [list(row) for row in matrix]
        blocks = [
            (info.num_data, info.num_total - info.num_data)
            for info in _ECC[version][ERROR]
            for _ in range(info.num_blocks)
        ]
        self.data_words = sum(d for d, _ in blocks)
        bits = 8 * sum(d + e for d, e in blocks)
        remainder = len(seg.make_final_message(version, ERROR, _zeros(self.data_words))) - bits
        marker = 1000  # placed bits are numbered from here: no module value is that high
        seg.add_codewords(cells, range(marker, marker + bits + remainder), version)
        self.size = w + 2 * border
        placed = {}  # message bit -> module, in the framed symbol
        for r, row in enumerate(cells):
            for c, v in enumerate(row):
                if v >= marker:
                    placed[v - marker] = (r + border) * self.size + c + border
        # The message is the data codewords interleaved across the blocks, then the parity
        # codewords likewise: where each data bit and each parity bit (block by block) goes.
        data_at, parity_at = _interleaving(blocks)
        self.data_modules = _modules_of(data_at, placed)
        self.groups = []  # per block shape: its data bits, its parity matrix, where its parity bits go
        start = 0
        firsts: dict[tuple[int, int], list[int]] = {}
        for size, errors in blocks:
            firsts.setdefault((size, errors), []).append(start)
            start += size
        parity_start = {b: p for b, p in zip(_block_starts(blocks), _parity_starts(blocks), strict=True)}
        for (size, errors), starts in firsts.items():
            data_bits = np.array([8 * s + i for s in starts for i in range(8 * size)], dtype=np.intp)
            parity_words = [parity_start[s] + k for s in starts for k in range(errors)]
            modules = _modules_of([parity_at[k] for k in parity_words], placed)
            self.groups.append((data_bits, len(starts), _parity_matrix(size, errors), modules))
        base = [bytearray(self.size) for _ in range(self.size)]
        seg_base = tuple(bytearray(0 if v >= marker else v for v in row) for row in cells)
        seg.add_format_info(seg_base, version, ERROR, MASK)
        seg.add_version_info(seg_base, version)
        for r, fixed in enumerate(seg_base):
            base[r + border][border : border + w] = fixed
        self.base = np.frombuffer(b"".join(base), dtype=np.uint8).copy()
        if (self.base > 1).any():  # pragma: no cover - segno changed its layout
            raise RuntimeError("QR layout left modules unset")
        rows, cols = np.divmod(np.arange(self.size * self.size), self.size)
        self.mask = ((rows - border + cols - border) % 2 == 0).astype(np.uint8)
        remainder_modules = np.array([placed[k] for k in range(bits, bits + remainder)], dtype=np.intp)
        self.base[remainder_modules] = self.mask[remainder_modules]  # remainder bits: 0, masked

    def data(self, payload: bytes) -> bytes:
        """The data codewords: byte mode, count, payload, terminator, padding."""
        capacity = 8 * self.data_words
        count = _count_bits(self.version)
        value = (0b0100 << count | len(payload)) << 8 * len(payload) | int.from_bytes(payload, "big")
        length = 4 + count + 8 * len(payload)
        length += min(4, capacity - length)  # the terminator
        length += 8 - length % 8 if length < capacity else 0  # as segno pads: a whole zero byte when aligned
        value <<= length - (4 + count + 8 * len(payload))
        words = value.to_bytes(length // 8, "big")
        pads = self.data_words - len(words)
        return words + (b"\xec\x11" * (pads // 2 + 1))[:pads]

    def modules(self, payload: bytes) -> np.ndarray:
        bits = np.unpackbits(np.frombuffer(self.data(payload), dtype=np.uint8))
        flat = self.base.copy()
        flat[self.data_modules] = bits ^ self.mask[self.data_modules]
        for data_bits, count, parity, modules in self.groups:
            sums = bits[data_bits].reshape(count, -1).astype(np.float32) @ parity
            found = (sums.astype(np.int32) & 1).astype(np.uint8)
            flat[modules] = found.ravel() ^ self.mask[modules]
        return flat.reshape(self.size, self.size)


def _block_starts(blocks: list[tuple[int, int]]) -> list[int]:
    starts, at = [], 0
    for size, _ in blocks:
        starts.append(at)
        at += size
    return starts


def _parity_starts(blocks: list[tuple[int, int]]) -> list[int]:
    starts, at = [], 0
    for _, errors in blocks:
        starts.append(at)
        at += errors
    return starts


def _interleaving(blocks: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """For each data codeword (blocks one after the other) and each parity codeword (likewise),
    its place in the message: the i-th codeword of every block in turn, data first."""
    data = [[s + i for i in range(size)] for s, (size, _) in zip(_block_starts(blocks), blocks, strict=True)]
    parity = [[s + i for i in range(e)] for s, (_, e) in zip(_parity_starts(blocks), blocks, strict=True)]
    order_d = [w for column in zip_longest(*data) for w in column if w is not None]
    order_p = [w for column in zip_longest(*parity) for w in column if w is not None]
    data_at = [0] * len(order_d)
    for n, w in enumerate(order_d):
        data_at[w] = n
    parity_at = [0] * len(order_p)
    for n, w in enumerate(order_p):
        parity_at[w] = len(order_d) + n
    return data_at, parity_at


def _modules_of(words: list[int], placed: dict[int, int]) -> np.ndarray:
    """The modules of the bits of the message codewords `words`, in order."""
    return np.array([placed[8 * w + i] for w in words for i in range(8)], dtype=np.intp)


def _zeros(words: int) -> seg.Buffer:
    buffer = seg.Buffer()
    buffer.extend(b"\0" * 8 * words)
    return buffer


@cache
def _layout(version: int, border: int) -> _Layout:
    return _Layout(version, border)


def matrix(text: str, border: int = 4) -> np.ndarray:
    """The QR code of `text` (UTF-8, level M, mask 0) with `border` modules of quiet zone, a
    square 0/1 matrix, 1 = dark."""
    payload = text.encode("utf-8")
    return _layout(version_for(len(payload)), border).modules(payload)


def modules(text: str, border: int = 4) -> list[bytes]:
    """`matrix` a row per bytes object."""
    return [row.tobytes() for row in matrix(text, border)]
