"""Draw the default theme's icons, our own drawing: a folded front page (masthead, photo,
columns of text) on the theme's red.

    .venv/bin/python scripts/theme_icons.py

Writes themes/default/static/favicon.svg and apple-touch-icon.png (180 x 180, opaque, square:
iOS rounds the corners itself) from the same shapes, so the two always match.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "themes" / "default" / "static"

RED, PAPER, INK = "#a11d21", "#fffdf8", "#161616"
GRID = 64  # the drawing's own units; the PNG scales them
# (x, y, width, height, colour) on a 64 x 64 grid, drawn in order over the red ground.
SHAPES = [
    (13, 12, 38, 40, PAPER),   # the page
    (17, 16, 30, 6, INK),      # masthead
    (17, 25, 30, 1.5, INK),    # rule under the masthead
    (17, 29, 13, 11, RED),     # lead photo
    (33, 29, 14, 2.5, INK),    # a column of text beside it
    (33, 33.5, 14, 2.5, INK),
    (33, 38, 10, 2.5, INK),
    (17, 43, 30, 2.5, INK),    # text across the page
    (17, 47.5, 22, 2.5, INK),
]


def svg() -> str:
    def number(value: float) -> str:
        return f"{value:g}"

    rects = "\n".join(
        f'  <rect x="{number(x)}" y="{number(y)}" width="{number(w)}" height="{number(h)}" '
        f'fill="{colour}"/>' for x, y, w, h, colour in SHAPES)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">\n'
            f'  <rect width="{GRID}" height="{GRID}" rx="12" fill="{RED}"/>\n{rects}\n</svg>\n')


def png(size: int = 180) -> Image.Image:
    # Drawn four times larger and scaled down, for smooth edges.
    big = size * 4
    scale = big / GRID
    image = Image.new("RGB", (big, big), RED)
    draw = ImageDraw.Draw(image)
    for x, y, w, h, colour in SHAPES:
        draw.rectangle((round(x * scale), round(y * scale),
                        round((x + w) * scale) - 1, round((y + h) * scale) - 1), fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    (STATIC / "favicon.svg").write_text(svg(), encoding="utf-8")
    png().save(STATIC / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
