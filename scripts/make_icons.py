"""Draw the app's PNG icons from the shapes of static/icons/unknot.svg, with the standard library
only (zlib and struct write the PNG), so they are reproducible and need no download or image
library: `python scripts/make_icons.py` rewrites static/icons/unknot-*.png byte for byte.

The drawing is the SVG's: a teal square with rounded corners (the "any" icons) or a full-bleed
teal square (the maskable one, whose drawing stays inside the central 80 % safe zone), a white
arch and a white upright, both 3 units wide with round ends, on a 32-unit grid. Edges are
anti-aliased by each pixel's distance to the shape.
"""

import math
import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
TEAL = (0x0B, 0x55, 0x66)  # --accent in static/css/app.css
WHITE = (0xFF, 0xFF, 0xFF)
STROKE = 1.5  # half the SVG's stroke width, in grid units


def _arch() -> list[tuple[float, float]]:
    """The SVG's "M9 22c3-9 11-9 14 0" (a cubic Bézier) as 48 straight pieces."""
    p0, p1, p2, p3 = (9, 22), (12, 13), (20, 13), (23, 22)
    points = []
    for i in range(49):
        t = i / 48
        u = 1 - t
        weights = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
        controls = list(zip(weights, (p0, p1, p2, p3), strict=True))
        points.append(tuple(sum(w * p[axis] for w, p in controls) for axis in (0, 1)))
    return points


SEGMENTS = [*zip(_arch(), _arch()[1:], strict=False), ((16, 7), (16, 25))]


def _distance_to_segment(x: float, y: float, a: tuple, b: tuple) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def _rounded_square_coverage(x: float, y: float, radius: float, pixel: float) -> float:
    """How much of the pixel at (x, y) lies inside the 32-unit square with rounded corners."""
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    outside = math.hypot(x - cx, y - cy) - radius
    return max(0.0, min(1.0, 0.5 - outside / pixel))


def draw(size: int, *, maskable: bool) -> bytes:
    """The icon as RGBA rows (each with PNG's filter byte)."""
    # The maskable icon: the drawing shrunk into the safe zone (a circle of 80 % of the width).
    scale = 0.7 if maskable else 1.0
    pixel = 32 / size  # grid units per pixel
    rows = bytearray()
    for row in range(size):
        rows.append(0)
        for column in range(size):
            x = (column + 0.5) * pixel
            y = (row + 0.5) * pixel
            background = 1.0 if maskable else _rounded_square_coverage(x, y, 7, pixel)
            # The strokes, in the drawing's own units.
            sx = 16 + (x - 16) / scale
            sy = 16 + (y - 16) / scale
            ink = 0.0
            if 7 <= sx <= 25 and 4 <= sy <= 27:
                distance = min(_distance_to_segment(sx, sy, a, b) for a, b in SEGMENTS)
                ink = max(0.0, min(1.0, 0.5 - (distance - STROKE) * scale / pixel))
            colour = [round(t + (w - t) * ink) for t, w in zip(TEAL, WHITE, strict=True)]
            alpha = round(255 * max(background, ink * background))
            rows.extend((*colour, alpha))
    return bytes(rows)


def png(size: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def main() -> None:
    for name, size, maskable in (
        ("unknot-192.png", 192, False),
        ("unknot-512.png", 512, False),
        ("unknot-maskable-512.png", 512, True),
        ("unknot-apple-180.png", 180, True),  # iOS rounds the corners itself
    ):
        (ICONS / name).write_bytes(png(size, draw(size, maskable=maskable)))
        print(f"wrote static/icons/{name}")


if __name__ == "__main__":
    main()
