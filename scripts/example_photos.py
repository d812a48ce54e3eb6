"""Paint the example publication's photos with Pillow: procedural scenes, our own work.

    .venv/bin/python scripts/example_photos.py [--content DIR] [--only NAME ...] [--list]

Every picture is drawn from gradients, shapes, value noise and soft shading, with fixed random
seeds, so a run with the same Pillow (and the same libjpeg, zlib and libheif it bundles) writes
the same bytes. The set exercises the image pipeline the way real uploads do: a phone JPEG
stored sideways with EXIF orientation, GPS and XMP; a phone HEIC; a PNG whose transparency
matters; a gallery of large camera JPEGs; a staff portrait; and lead photos. Nothing here is
copied or downloaded. The files are written beside the articles they belong to; which file
goes with which article, with suggested alt text, caption and credit, is printed at the end.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps
from PIL.TiffImagePlugin import IFDRational

ROOT = Path(__file__).resolve().parent.parent

Color = tuple[int, int, int]
Point = tuple[float, float]
Size = tuple[int, int]

BICUBIC = Image.Resampling.BICUBIC


# --- colour and light --------------------------------------------------------------------


def mix(a: Sequence[int], b: Sequence[int], t: float) -> Color:
    """The colour a fraction ``t`` of the way from ``a`` to ``b``."""
    t = min(1.0, max(0.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def shade(color: Sequence[int], factor: float) -> Color:
    """Darker below 1, lighter above (towards white)."""
    if factor <= 1:
        return mix((0, 0, 0), color, factor)
    return mix(color, (255, 255, 255), factor - 1)


def muted(color: Sequence[int], amount: float) -> Color:
    """Less saturated and a little darker, as colours far off in haze or shade look."""
    grey = sum(color) / 3
    return shade(mix(color, (grey, grey, grey), amount), 1 - amount * 0.3)


def jitter(rng: random.Random, color: Sequence[int], amount: int) -> Color:
    return tuple(min(255, max(0, c + rng.randint(-amount, amount))) for c in color)  # type: ignore[return-value]


def color_at(stops: Sequence[tuple[float, Color]], t: float) -> Color:
    if t <= stops[0][0]:
        return stops[0][1]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if t <= p1:
            return mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 1)
    return stops[-1][1]


def gradient(size: Size, stops: Sequence[tuple[float, Color]],
             vertical: bool = True) -> Image.Image:
    """A linear gradient through colour stops (positions 0..1, top to bottom or left to right)."""
    n = size[1] if vertical else size[0]
    line = Image.new("RGB", (1, n) if vertical else (n, 1))
    line.putdata([color_at(stops, i / max(1, n - 1)) for i in range(n)])
    return line.resize(size, Image.Resampling.NEAREST)


def noise(size: Size, rng: random.Random, cell: float) -> Image.Image:
    """Smooth value noise: random values every ``cell`` pixels, bicubic in between."""
    w, h = max(2, round(size[0] / cell) + 2), max(2, round(size[1] / cell) + 2)
    small = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    big = small.resize((round(w * cell), round(h * cell)), BICUBIC)
    return big.crop((round(cell), round(cell), round(cell) + size[0], round(cell) + size[1]))


def fractal(size: Size, rng: random.Random, cell: float, octaves: int = 4,
            persistence: float = 0.5) -> Image.Image:
    """Several octaves of value noise, stretched to the full 0-255 range."""
    acc = noise(size, rng, cell)
    weight_sum = 1.0
    for octave in range(1, octaves):
        weight = persistence ** octave
        weight_sum += weight
        acc = Image.blend(acc, noise(size, rng, max(1.5, cell / 2 ** octave)), weight / weight_sum)
    return ImageOps.autocontrast(acc, cutoff=0.5)


def texture(base: Image.Image, rng: random.Random, cell: float, amount: int,
            octaves: int = 3) -> Image.Image:
    """Base modulated by fractal noise of +-``amount`` levels (mottling, fabric, foliage)."""
    n = fractal(base.size, rng, cell, octaves).point(lambda v: 128 + (v - 128) * amount // 128)
    return ImageChops.add(base.convert("RGB"), Image.merge("RGB", (n, n, n)), 1.0, -128)


def grain(image: Image.Image, rng: random.Random, amount: float = 5.0) -> Image.Image:
    """Sensor noise: a soft luminance grain, tiled from one seeded block."""
    side = 613
    block = Image.frombytes("L", (side, side), rng.randbytes(side * side))
    block = block.filter(ImageFilter.GaussianBlur(0.8)).point(
        lambda v: round(128 + (v - 128) * amount / 24))
    layer = Image.new("L", image.size)
    for y in range(0, image.size[1], side):
        for x in range(0, image.size[0], side):
            layer.paste(block, (x, y))
    return ImageChops.add(image, Image.merge("RGB", (layer, layer, layer)), 1.0, -128)


def vignette(image: Image.Image, strength: float = 0.35) -> Image.Image:
    edge = Image.radial_gradient("L").resize(image.size, BICUBIC)
    mask = edge.point(lambda v: round(255 * strength * min(1.0, v / 255) ** 2.2))
    return Image.composite(Image.new("RGB", image.size, (0, 0, 0)), image, mask)


def bloom(image: Image.Image, threshold: int = 200, radius: float = 30,
          strength: float = 0.6) -> Image.Image:
    """Glow around the brightest parts, as a lens and sensor give bright lights."""
    luma = image.convert("L").point(
        lambda v: 0 if v < threshold
        else round(255 * strength * (v - threshold) / (255 - threshold)))
    glow = Image.composite(image, Image.new("RGB", image.size), luma)
    small = glow.resize((max(1, image.size[0] // 4), max(1, image.size[1] // 4)), BICUBIC)
    glow = small.filter(ImageFilter.GaussianBlur(radius / 4)).resize(image.size, BICUBIC)
    return ImageChops.screen(image, glow)


def tone(image: Image.Image, lift: int = 6, gain: float = 1.0,
         tint: tuple[float, float, float] = (1.0, 1.0, 1.0), contrast: float = 0.12) -> Image.Image:
    """A gentle S-curve with lifted blacks and a colour balance, the look of a camera JPEG."""
    bands = []
    for band, factor in zip(image.split(), tint, strict=True):
        def curve(v: int, factor: float = factor) -> int:
            x = v / 255
            s = x + contrast * (x - 0.5) * (1 - abs(2 * x - 1)) * 2
            return min(255, max(0, round(lift + (255 - lift) * s * gain * factor)))
        bands.append(band.point(curve))
    return Image.merge("RGB", bands)


def blur_rgba(layer: Image.Image, radius: float) -> Image.Image:
    """Blur a transparent layer without dark fringes (in premultiplied alpha)."""
    if radius <= 0:
        return layer
    return layer.convert("RGBa").filter(ImageFilter.GaussianBlur(radius)).convert("RGBA")


def over(base: Image.Image, layer: Image.Image, blur: float = 0) -> Image.Image:
    """Composite an RGBA layer over an RGB image, optionally out of focus."""
    layer = blur_rgba(layer, blur)
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


def soft_shadow(size: Size, shapes: Callable[[ImageDraw.ImageDraw], None], blur: float,
                opacity: float, color: Color = (0, 0, 0)) -> Image.Image:
    """An RGBA layer holding a blurred shadow of whatever ``shapes`` draws (in white)."""
    mask = Image.new("L", size, 0)
    shapes(ImageDraw.Draw(mask))
    mask = mask.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: round(v * opacity))
    layer = Image.new("RGBA", size, (*color, 0))
    layer.putalpha(mask)
    return layer


def volume(layer: Image.Image, radius: float, light: Point = (-0.6, -0.8),
           dark: float = 0.55, rim: float = 0.25) -> Image.Image:
    """Round off a flat RGBA shape: darker on the edges away from ``light``, a rim towards it."""
    alpha = layer.getchannel("A")
    soft = alpha.filter(ImageFilter.GaussianBlur(radius))
    dx, dy = round(-light[0] * radius), round(-light[1] * radius)
    away = ImageChops.subtract(alpha, ImageChops.offset(soft, dx, dy))
    toward = ImageChops.subtract(alpha, ImageChops.offset(soft, -dx, -dy))
    rgb = layer.convert("RGB")
    darken = away.point(lambda v: 255 - round(v * dark))
    rgb = ImageChops.multiply(rgb, Image.merge("RGB", (darken, darken, darken)))
    lighten = toward.point(lambda v: round(v * rim))
    rgb = ImageChops.screen(rgb, Image.merge("RGB", (lighten, lighten, lighten)))
    rgb.putalpha(alpha)
    return rgb


def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, round(size)))


# --- people ------------------------------------------------------------------------------


SKIN = [(241, 200, 170), (226, 180, 140), (198, 146, 106), (160, 110, 76), (118, 80, 56),
        (236, 192, 160), (214, 170, 130), (92, 62, 46)]
HAIR = [(24, 18, 16), (40, 28, 20), (70, 46, 28), (16, 14, 14), (110, 74, 40), (30, 24, 22)]


@dataclass(frozen=True)
class Look:
    skin: Color
    top: Color
    bottom: Color
    shoes: Color = (235, 235, 235)
    hair: Color = (30, 24, 20)
    sleeves: float = 0.35  # share of the arm (upper + fore) the top covers
    trousers: float = 0.45  # share of the leg the bottom covers (1 = to the ankle)
    long_hair: bool = False
    ponytail: bool = False
    skirt: float = 0.0  # a skirt or chima reaching this share down the leg
    number: str = ""


@dataclass(frozen=True)
class Pose:
    """Angles in degrees from straight down (limbs) or straight up (torso); + turns to +x."""

    lean: float = 0
    near_arm: tuple[float, float] = (8, 4)
    far_arm: tuple[float, float] = (-8, -4)
    near_leg: tuple[float, float] = (3, 0)
    far_leg: tuple[float, float] = (-3, 0)
    side: bool = False  # side view: limbs hang from one spine; front view: shoulders apart
    facing: int = 1  # side view: which way the face looks

    def mirrored(self) -> Pose:
        def flip(pair: tuple[float, float]) -> tuple[float, float]:
            return (-pair[0], -pair[1])
        return Pose(-self.lean, flip(self.near_arm), flip(self.far_arm), flip(self.near_leg),
                    flip(self.far_leg), self.side, -self.facing)


def running(phase: float, facing: int = 1, lean: float = 12) -> Pose:
    """A runner in side view, ``phase`` 0..1 through a stride."""
    s = math.sin(2 * math.pi * phase)
    pose = Pose(lean=lean,
                near_leg=(10 + 48 * s, -40 + 30 * s - 45 * max(0.0, -s)),
                far_leg=(10 - 48 * s, -40 - 30 * s - 45 * max(0.0, s)),
                near_arm=(-45 * s, 70 - 40 * s),
                far_arm=(45 * s, 70 + 40 * s),
                side=True)
    return pose if facing > 0 else pose.mirrored()


def walking(phase: float, facing: int = 1) -> Pose:
    """Someone walking past in side view."""
    s = math.sin(2 * math.pi * phase)
    pose = Pose(lean=3, near_leg=(22 * s, 22 * s - 12 * max(0.0, -s)),
                far_leg=(-22 * s, -22 * s - 12 * max(0.0, s)), near_arm=(-18 * s, -10 * s + 10),
                far_arm=(18 * s, 10 * s + 10), side=True)
    return pose if facing > 0 else pose.mirrored()


def standing(rng: random.Random, side: bool = False, facing: int = 1) -> Pose:
    r = rng.uniform
    return Pose(lean=r(-3, 3), near_arm=(r(4, 16), r(0, 20)), far_arm=(r(-16, -4), r(-20, 0)),
                near_leg=(r(2, 7), r(0, 3)), far_leg=(r(-7, -2), r(-3, 0)), side=side,
                facing=facing)


def _end(start: Point, angle: float, length: float, up: bool = False) -> Point:
    a = math.radians(angle)
    return (start[0] + math.sin(a) * length,
            start[1] + (-1 if up else 1) * math.cos(a) * length)


def _limb(draw: ImageDraw.ImageDraw, points: Sequence[Point], widths: Sequence[float],
          color: Color) -> None:
    for (a, b), w in zip(zip(points, points[1:], strict=False), widths, strict=False):
        draw.line([a, b], fill=color, width=max(1, round(w)))
    for p, w in zip(points, [widths[0], *widths], strict=False):
        r = w / 2
        draw.ellipse([p[0] - r, p[1] - r, p[0] + r, p[1] + r], fill=color)


def _partial(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def person(height: float, pose: Pose, look: Look, shading: bool = True) -> Figure:
    """One figure on its own transparent canvas, and where its lowest point (the feet) is."""
    h = height
    side = 2 * h
    canvas = Image.new("RGBA", (round(side), round(side * 1.2)), (*look.top, 0))
    d = ImageDraw.Draw(canvas)
    pelvis = (side / 2, side * 0.6)
    torso_len, neck, head_h, head_w = 0.30 * h, 0.035 * h, 0.13 * h, 0.10 * h
    thigh, shin, upper, fore = 0.25 * h, 0.24 * h, 0.17 * h, 0.15 * h
    spine_top = _end(pelvis, pose.lean, torso_len, up=True)
    perp = (math.cos(math.radians(pose.lean)), math.sin(math.radians(pose.lean)))
    half_shoulder = 0.0 if pose.side else 0.105 * h
    half_hip = 0.0 if pose.side else 0.05 * h
    # near shoulder (and hip) first, then the far one
    shoulders = [(spine_top[0] + perp[0] * s * half_shoulder,
                  spine_top[1] + perp[1] * s * half_shoulder) for s in (1, -1)]
    hips = [(pelvis[0] + perp[0] * s * half_hip, pelvis[1] + perp[1] * s * half_hip)
            for s in (1, -1)]

    def leg(hip: Point, angles: tuple[float, float]) -> list[Point]:
        knee = _end(hip, angles[0], thigh)
        return [hip, knee, _end(knee, angles[1], shin)]

    def arm(shoulder: Point, angles: tuple[float, float]) -> list[Point]:
        elbow = _end(shoulder, angles[0], upper)
        return [shoulder, elbow, _end(elbow, angles[1], fore)]

    legs = [leg(hips[0], pose.near_leg), leg(hips[1], pose.far_leg)]
    arms = [arm(shoulders[0], pose.near_arm), arm(shoulders[1], pose.far_arm)]

    def draw_leg(points: list[Point], dim: float) -> None:
        skin, bottom, shoes = (shade(c, dim) for c in (look.skin, look.bottom, look.shoes))
        _limb(d, points, [0.072 * h, 0.052 * h], skin)
        cover = look.trousers * 2
        if cover > 0:
            upto = min(1.0, cover)
            _limb(d, [points[0], _partial(points[0], points[1], upto)], [0.085 * h], bottom)
            if cover > 1:
                _limb(d, [points[1], _partial(points[1], points[2], cover - 1)], [0.065 * h],
                      bottom)
        ankle = points[2]
        toe = (ankle[0] + pose.facing * 0.06 * h, ankle[1] + 0.012 * h) if pose.side else \
            (ankle[0], ankle[1] + 0.02 * h)
        _limb(d, [ankle, toe], [0.045 * h], shoes)

    def draw_arm(points: list[Point], dim: float) -> None:
        skin, top = shade(look.skin, dim), shade(look.top, dim)
        _limb(d, points, [0.05 * h, 0.04 * h], skin)
        cover = look.sleeves * 2
        if cover > 0:
            _limb(d, [points[0], _partial(points[0], points[1], min(1.0, cover))], [0.06 * h], top)
            if cover > 1:
                _limb(d, [points[1], _partial(points[1], points[2], cover - 1)], [0.05 * h], top)
        hand = points[2]
        r = 0.026 * h
        d.ellipse([hand[0] - r, hand[1] - r, hand[0] + r, hand[1] + r], fill=skin)

    # the torso: a tapered shape around the spine
    widths = [(0.0, 0.085 if not pose.side else 0.07), (0.45, 0.075 if not pose.side else 0.062),
              (0.8, 0.1 if not pose.side else 0.072), (1.0, 0.1 if not pose.side else 0.06)]
    left, right = [], []
    for t, w in widths:
        p = _partial(pelvis, spine_top, t)
        left.append((p[0] - perp[0] * w * h, p[1] - perp[1] * w * h))
        right.append((p[0] + perp[0] * w * h, p[1] + perp[1] * w * h))
    torso = right + left[::-1]

    far_dim = 0.78 if pose.side else 0.95
    draw_arm(arms[1], far_dim)
    draw_leg(legs[1], far_dim)
    draw_leg(legs[0], 1.0)
    if look.skirt:
        hem = [_end(p, a[0] * 0.5, thigh * look.skirt * 2.2) for p, a in
               ((hips[0], pose.near_leg), (hips[1], pose.far_leg))]
        spread = 0.12 * h + 0.08 * h * look.skirt
        lo = max(hem[0][1], hem[1][1])
        cx = (hem[0][0] + hem[1][0]) / 2
        d.polygon([_partial(pelvis, spine_top, 0.7), (cx + spread, lo), (cx - spread, lo)],
                  fill=look.bottom)
    neck_top = _end(spine_top, pose.lean, neck, up=True)
    hx, hy = _end(neck_top, pose.lean, head_h * 0.45, up=True)
    if look.long_hair:
        back = -pose.facing * head_w * 0.25 if pose.side else 0
        d.polygon([(hx - head_w * 0.58 + back, hy - head_h * 0.1),
                   (hx + head_w * 0.58 + back, hy - head_h * 0.1),
                   (hx + head_w * 0.66 + back, hy + head_h * 1.0),
                   (hx - head_w * 0.66 + back, hy + head_h * 1.0)], fill=look.hair)
    d.polygon(torso, fill=look.top)
    r = 0.042 * h if not pose.side else 0.04 * h
    for sh in shoulders:
        c = _partial(sh, pelvis, 0.08)
        d.ellipse([c[0] - r, c[1] - r, c[0] + r, c[1] + r], fill=look.top)
    if look.number and abs(pose.lean) < 30:
        mid = _partial(pelvis, spine_top, 0.62)
        f = font(0.09 * h)
        ink = shade(look.top, 1.85) if sum(look.top) < 380 else (30, 30, 40)
        d.text(mid, look.number, fill=ink, font=f, anchor="mm")
    _limb(d, [spine_top, neck_top], [0.045 * h], shade(look.skin, 0.9))
    draw_head(d, (hx, hy), pose, look, h)
    draw_arm(arms[0], 1.0)

    if shading:
        canvas = volume(canvas, 0.025 * h)
    box = canvas.getchannel("A").getbbox() or (0, 0, 1, 1)
    feet_y = max(legs[0][2][1], legs[1][2][1]) + 0.035 * h
    feet_x = (legs[0][2][0] + legs[1][2][0]) / 2
    return Figure(canvas.crop(box), (feet_x - box[0], feet_y - box[1]),
                  (pelvis[0] - box[0], pelvis[1] - box[1]),
                  (arms[0][2][0] - box[0], arms[0][2][1] - box[1]))


def draw_head(d: ImageDraw.ImageDraw, center: Point, pose: Pose, look: Look, h: float) -> None:
    """Head, hair and (when large enough) a face, turned with the torso."""
    lean = math.radians(pose.lean)
    up = (math.sin(lean), -math.cos(lean))
    facing = pose.facing if pose.side else 0
    fwd = (math.cos(lean), math.sin(lean))  # towards the face in profile (times facing)
    hw, hh = 0.05 * h, 0.065 * h  # half width and half height

    def local(x: float, y: float) -> Point:
        """x towards the face (in profile), y up the head, in head half-sizes."""
        fx = x * hw * (facing or 1)
        return (center[0] + fwd[0] * fx + up[0] * y * hh, center[1] + fwd[1] * fx + up[1] * y * hh)

    def arc(start: float, end: float, rx: float = 1.0, ry: float = 1.0, n: int = 24) -> list[Point]:
        return [local(rx * math.cos(math.radians(start + (end - start) * i / n)),
                      ry * math.sin(math.radians(start + (end - start) * i / n)))
                for i in range(n + 1)]

    d.polygon(arc(0, 360), fill=look.skin)
    if pose.side:  # hair from the forehead over the crown to the nape
        d.polygon(arc(62, 235, 1.1, 1.12) + [local(-0.1, -0.2), local(0.25, 0.45)], fill=look.hair)
    else:
        d.polygon(arc(-12, 192, 1.1, 1.12) + [local(-0.75, 0.35), local(0, 0.62),
                                              local(0.75, 0.35)], fill=look.hair)
    if look.ponytail:
        tail = arc(0, 360, 0.3, 0.45, 16)
        shift = local(-1.05, 0.1) if pose.side else local(0, 0.95)
        d.polygon([(x - center[0] + shift[0], y - center[1] + shift[1]) for x, y in tail],
                  fill=look.hair)
    if h < 160:
        return
    dot = max(1.0, 0.007 * h)
    eye_color, line = (30, 24, 22), shade(look.skin, 0.62)
    if pose.side:  # ear, eye and the nose in profile
        ear = local(-0.05, -0.05)
        d.ellipse([ear[0] - 0.012 * h, ear[1] - 0.016 * h, ear[0] + 0.012 * h, ear[1] + 0.016 * h],
                  fill=shade(look.skin, 0.85))
        ex, ey = local(0.62, 0.1)
        d.ellipse([ex - dot, ey - dot, ex + dot, ey + dot], fill=eye_color)
        d.line([local(0.5, 0.3), local(0.8, 0.28)], fill=line, width=max(1, round(dot)))
        d.polygon([local(0.96, 0.12), local(1.22, -0.2), local(0.96, -0.3)], fill=look.skin)
    else:
        for side in (-1, 1):
            ex, ey = local(side * 0.38, 0.05)
            d.ellipse([ex - dot * 1.2, ey - dot, ex + dot * 1.2, ey + dot], fill=eye_color)
            d.line([local(side * 0.2, 0.3), local(side * 0.55, 0.3)], fill=line,
                   width=max(1, round(dot * 0.9)))
        d.line([local(-0.18, -0.5), local(0.18, -0.5)], fill=line, width=max(1, round(dot * 0.8)))


@dataclass(frozen=True)
class Figure:
    image: Image.Image
    feet: Point  # lowest point, in the image
    pelvis: Point
    hand: Point  # the near hand


def place(layer: Image.Image, figure: Figure, at: Point, by: str = "feet") -> None:
    """Paste a figure so that its feet (or its pelvis) land on ``at``."""
    fx, fy = figure.feet if by == "feet" else figure.pelvis
    layer.alpha_composite(figure.image, (round(at[0] - fx), round(at[1] - fy)))


def random_look(rng: random.Random, tops: Sequence[Color], bottoms: Sequence[Color],
                **extra: object) -> Look:
    long_hair = rng.random() < 0.45
    return Look(skin=rng.choice(SKIN), top=jitter(rng, rng.choice(tops), 12),
                bottom=jitter(rng, rng.choice(bottoms), 8), hair=rng.choice(HAIR),
                shoes=rng.choice([(235, 235, 235), (40, 40, 44), (200, 60, 50), (230, 230, 220)]),
                long_hair=long_hair, ponytail=not long_hair and rng.random() < 0.3,
                **extra)  # type: ignore[arg-type]


def crowd(size: Size, rng: random.Random, rows: Sequence[tuple[float, float]],
          colors: Sequence[Color], density: float = 1.0) -> Image.Image:
    """Spectators: rows of heads and shoulders, each row ``(baseline y, head size)``."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for y, s in rows:
        x = rng.uniform(-s, 0)
        while x < size[0] + s:
            if rng.random() < 0.93:
                top = jitter(rng, rng.choice(colors), 18)
                skin = rng.choice(SKIN)
                cy = y + rng.uniform(-0.25, 0.25) * s
                lift = rng.uniform(-0.3, 0.6) * s if rng.random() < 0.15 else 0
                d.rounded_rectangle([x - s * 0.95, cy - s * 0.2, x + s * 0.95, cy + s * 2.2],
                                    radius=s * 0.5, fill=top)
                hx, hy = x + rng.uniform(-0.1, 0.1) * s, cy - s * 0.55 - lift
                d.ellipse([hx - s * 0.42, hy - s * 0.52, hx + s * 0.42, hy + s * 0.52], fill=skin)
                hair = rng.choice(HAIR)
                d.chord([hx - s * 0.46, hy - s * 0.6, hx + s * 0.46, hy + s * 0.3], 180, 360,
                        fill=hair)
                if rng.random() < 0.3:
                    for x0 in (hx - s * 0.46, hx + s * 0.3):  # long hair down both sides
                        d.rectangle([x0, hy - s * 0.1, x0 + s * 0.16, hy + s * 0.55], fill=hair)
                if lift > 0.3 * s:  # an arm up, cheering
                    arm_x = x + rng.choice((-1, 1)) * s * 0.7
                    d.line([(arm_x, cy), (arm_x + rng.uniform(-0.3, 0.3) * s, cy - 1.9 * s)],
                           fill=skin, width=max(1, round(s * 0.28)))
            x += s * rng.uniform(1.75, 2.3) / density
    return layer


# --- space -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    """A level pinhole camera: metres in front (z), right (x) and up (y) to pixels."""

    size: Size
    horizon: float  # pixel row of the horizon
    focal: float  # pixels
    eye: float  # camera height above the ground, metres
    cx: float | None = None

    def at(self, x: float, y: float, z: float) -> Point:
        cx = self.size[0] / 2 if self.cx is None else self.cx
        return (cx + self.focal * x / z, self.horizon - self.focal * (y - self.eye) / z)

    def ground(self, x: float, z: float) -> Point:
        return self.at(x, 0.0, z)

    def scale(self, z: float) -> float:
        """Pixels per metre at distance ``z``."""
        return self.focal / z


def pan_blur(image: Image.Image, length: float) -> Image.Image:
    """Horizontal motion blur (a panning shot): squash and stretch back."""
    w, h = image.size
    small = image.resize((max(2, round(w / length)), h), Image.Resampling.BOX)
    return small.resize((w, h), Image.Resampling.BILINEAR)


def shadow_under(size: Size, feet: Sequence[tuple[Point, float]], opacity: float = 0.5,
                 offset: Point = (0.0, 0.0)) -> Image.Image:
    """Contact shadows: a flat blurred ellipse under each ``(feet point, figure height)``."""
    def shapes(d: ImageDraw.ImageDraw) -> None:
        for (x, y), h in feet:
            x, y = x + offset[0] * h, y + offset[1] * h
            d.ellipse([x - 0.22 * h, y - 0.025 * h, x + 0.22 * h, y + 0.03 * h], fill=255)
    blur = max(2.0, min(h for _, h in feet) * 0.015) if feet else 2.0
    return soft_shadow(size, shapes, blur, opacity)


# --- scenes ------------------------------------------------------------------------------


FALCONS = (24, 42, 104)  # navy
FALCONS_GOLD = (226, 178, 48)
RIVALS = [(196, 40, 44), (30, 120, 72), (238, 238, 232), (120, 40, 120), (240, 140, 30)]
CASUAL = [(40, 60, 120), (190, 50, 50), (230, 230, 225), (60, 60, 64), (226, 178, 48),
          (80, 130, 90), (120, 150, 200), (200, 120, 150), (24, 42, 104), (150, 120, 90)]


def stands(size: Size, rng: random.Random, top: float, bottom: float, rows: int,
           colors: Sequence[Color], concrete: Color = (150, 150, 146)) -> Image.Image:
    """Bleachers seen from the side: stepped rows with spectators, nearer rows larger."""
    w = size[0]
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.rectangle([0, top, w, bottom], fill=(*concrete, 255))
    ys = [top + (bottom - top) * (i / rows) ** 1.15 for i in range(rows + 1)]
    for i in range(rows):
        d.line([(0, ys[i + 1]), (w, ys[i + 1])], fill=(*shade(concrete, 0.7), 255),
               width=max(1, round((ys[i + 1] - ys[i]) * 0.12)))
    people = crowd(size, rng, [((ys[i] + ys[i + 1]) / 2 + (ys[i + 1] - ys[i]) * 0.1,
                                (ys[i + 1] - ys[i]) * 0.34) for i in range(rows)], colors, 0.9)
    layer.alpha_composite(people)
    return layer


def track_relay(rng: random.Random) -> Image.Image:
    """Girls 4x400 relay anchors leaning at the finish, the stands blurred by the pan."""
    size = (3600, 2400)
    w, h = size
    cam = Camera(size, horizon=1560, focal=7200, eye=1.0)
    lanes = [10.0 + 1.22 * k for k in range(9)]
    img = gradient(size, [(0, (150, 150, 150)), (1, (200, 196, 186))])

    # the stands beyond the far side of the track, panned and far out of focus
    wall_z = 24.0
    wall_bottom, wall_top = cam.ground(0, wall_z)[1], cam.at(0, 0.95, wall_z)[1]
    back = Image.new("RGBA", size, (0, 0, 0, 0))
    back.alpha_composite(stands(size, rng, -40, wall_top + 20, 11,
                                [muted(c, 0.3) for c in [FALCONS, FALCONS_GOLD, *CASUAL]],
                                (150, 150, 146)))
    d = ImageDraw.Draw(back)
    for x in range(260, w, 1100):
        d.rectangle([x, 0, x + 40, wall_top], fill=(96, 98, 102, 255))
    d.rectangle([0, wall_top, w, wall_bottom], fill=(28, 60, 140, 255))
    f = font((wall_bottom - wall_top) * 0.55)
    for x in range(-500, w, 2100):
        d.text((x, (wall_top + wall_bottom) / 2), "REGIONAL CHAMPIONSHIPS",
               fill=(236, 238, 240, 255), font=f, anchor="lm")
        d.text((x + 1750, (wall_top + wall_bottom) / 2), "FALCONS",
               fill=(*FALCONS_GOLD, 255), font=f, anchor="lm")
    back = ImageChops.multiply(back, gradient(size, [(0, (120, 120, 124)), (0.5, (210, 210, 210)),
                                                     (0.7, (255, 255, 255))]).convert("RGBA"))
    img = over(img, back)
    img = pan_blur(img, 90).filter(ImageFilter.GaussianBlur(14))

    # the ground: grass beyond and before the track, then the track with its lanes
    ground = Image.new("RGBA", size, (0, 0, 0, 0))
    gd = ImageDraw.Draw(ground)
    gd.rectangle([0, wall_bottom, w, h], fill=(86, 128, 60, 255))
    track_far, track_near = cam.ground(0, lanes[-1] + 0.4)[1], cam.ground(0, lanes[0] - 0.3)[1]
    gd.rectangle([0, track_far, w, track_near], fill=(184, 78, 56, 255))
    ground_rgb = texture(ground.convert("RGB"), rng, 5, 22, 3)
    ground_rgb = texture(ground_rgb, rng, 120, 12, 2)
    ground_rgb.putalpha(ground.getchannel("A"))
    img = over(img, ground_rgb, blur=1.5)

    lines = Image.new("RGBA", size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(lines)
    for z in lanes:
        y = cam.ground(0, z)[1]
        ld.line([(0, y), (w, y)], fill=(240, 238, 232, 235),
                width=max(2, round(cam.scale(z) * 0.05)))
    finish_x = 0.55
    near_z, far_z = lanes[0] - 0.3, lanes[-1] + 0.4
    ld.polygon([cam.ground(finish_x, near_z), cam.ground(finish_x + 0.05, near_z),
                cam.ground(finish_x + 0.05, far_z), cam.ground(finish_x, far_z)],
               fill=(246, 244, 238, 245))
    img = over(img, lines, blur=1.5)

    # finish post on the far side of the line
    post = Image.new("RGBA", size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(post)
    base = cam.ground(finish_x + 0.02, lanes[-1] + 1.0)
    top = cam.at(finish_x + 0.02, 2.0, lanes[-1] + 1.0)
    pw = cam.scale(lanes[-1]) * 0.05
    for i in range(10):
        y0 = top[1] + (base[1] - top[1]) * i / 10
        y1 = top[1] + (base[1] - top[1]) * (i + 1) / 10
        pd.rectangle([base[0] - pw, y0, base[0] + pw, y1],
                     fill=(20, 20, 20, 255) if i % 2 else (240, 240, 240, 255))
    pd.rectangle([base[0] - pw * 2.5, top[1] - pw * 4, base[0] + pw * 2.5, top[1]],
                 fill=(30, 30, 34, 255))
    img = over(img, post, blur=3)

    # the runners: Falcons anchor leaning at the line in lane 4, others close behind
    runners = [(3, 0.45, 0.05, FALCONS, "4", 24), (4, -0.75, 0.4, RIVALS[0], "5", 14),
               (2, -1.9, 0.7, RIVALS[1], "3", 12), (5, -3.0, 0.2, RIVALS[2], "6", 12),
               (1, -4.2, 0.55, RIVALS[4], "2", 12)]
    figures = []
    for lane, x, phase, color, bib, lean in sorted(runners, key=lambda r: -r[0]):
        z = lanes[lane] + 0.61
        tall = cam.scale(z) * rng.uniform(1.62, 1.72)
        shorts = shade(color, 0.55) if color != RIVALS[2] else (30, 30, 40)
        look = Look(skin=rng.choice(SKIN), top=color, bottom=shorts, trousers=0.28, sleeves=0.0,
                    hair=rng.choice(HAIR), ponytail=True, number=bib,
                    shoes=rng.choice([(240, 240, 240), (250, 120, 40), (60, 200, 210)]))
        feet = cam.ground(x, z)
        figures.append((feet, tall, person(tall, running(phase, 1, lean), look)))
    img = over(img, shadow_under(size, [(f, t) for f, t, _ in figures], 0.45, (0.08, 0.0)))
    people = Image.new("RGBA", size, (0, 0, 0, 0))
    for feet, _tall, fig in figures:
        place(people, fig, feet)
    img = over(img, people)

    # the infield grass right in front of the lens, out of focus
    near = Image.new("RGBA", size, (0, 0, 0, 0))
    nd = ImageDraw.Draw(near)
    for _ in range(700):
        x = rng.uniform(0, w)
        y0 = h + rng.uniform(0, 40)
        length = rng.uniform(40, 200)
        nd.line([(x, y0), (x + rng.uniform(-40, 40), y0 - length)],
                fill=(*jitter(rng, (70, 110, 44), 20), 255), width=rng.randint(6, 16))
    img = over(img, near, blur=9)

    img = tone(img, lift=8, tint=(1.03, 1.0, 0.96))
    img = vignette(img, 0.3)
    return grain(img, rng, 2.5)


def track_high_jump(rng: random.Random) -> Image.Image:
    """A high jumper arched over the bar against an evening sky, shot from beside the mat."""
    size = (3600, 2400)
    w, h = size
    cam = Camera(size, horizon=1640, focal=5200, eye=1.1)
    bar_z, bar_y = 7.0, 1.96
    img = gradient(size, [(0, (88, 136, 196)), (0.45, (150, 184, 214)), (0.68, (226, 214, 190)),
                          (1, (236, 200, 160))])
    clouds = fractal(size, rng, 700, 4).point(lambda v: max(0, v - 140) * 2)
    high = gradient(size, [(0, (200,) * 3), (0.6, (0,) * 3)]).convert("L")
    img = Image.composite(Image.new("RGB", size, (246, 240, 232)), img,
                          ImageChops.multiply(clouds, high))

    # far away: a line of trees and the home stand, soft
    trees = Image.new("RGBA", size, (0, 0, 0, 0))
    td = ImageDraw.Draw(trees)
    x = -100.0
    while x < w + 200:
        r = rng.uniform(110, 260)
        y = cam.horizon - rng.uniform(160, 420)
        td.ellipse([x - r, y - r, x + r, y + r * 3], fill=(*jitter(rng, (58, 88, 54), 14), 255))
        x += r * rng.uniform(0.7, 1.2)
    tree_rgb = texture(trees.convert("RGB"), rng, 40, 40, 3)
    tree_rgb.putalpha(trees.getchannel("A"))
    img = over(img, tree_rgb, blur=16)
    stand_box = (1900, round(cam.horizon - 420), w, round(cam.horizon + 30))
    stand_size = (stand_box[2] - stand_box[0], stand_box[3] - stand_box[1])
    stand = stands(stand_size, rng, 0, stand_size[1], 8,
                   [muted(c, 0.35) for c in [FALCONS, FALCONS_GOLD, *CASUAL]], (132, 136, 140))
    far = Image.new("RGBA", size, (0, 0, 0, 0))
    far.paste(stand, stand_box[:2])
    img = over(img, far, blur=20)
    grass = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(grass).rectangle([0, cam.horizon - 10, w, h], fill=(92, 130, 66, 255))
    grass_rgb = texture(grass.convert("RGB"), rng, 30, 18, 3)
    grass_rgb.putalpha(grass.getchannel("A"))
    img = over(img, grass_rgb, blur=10)

    # the landing mat: a blue foam block seen from its front
    mat = Image.new("RGBA", size, (0, 0, 0, 0))
    md = ImageDraw.Draw(mat)
    front_z, back_z, half, top_y = 5.6, 10.5, 3.0, 0.75
    top = [cam.at(-half, top_y, front_z), cam.at(half, top_y, front_z),
           cam.at(half, top_y, back_z), cam.at(-half, top_y, back_z)]
    md.polygon(top, fill=(40, 92, 180, 255))
    md.rectangle([top[0][0], top[0][1], top[1][0], h], fill=(28, 66, 150, 255))
    f = font(210)
    md.text(((top[0][0] + top[1][0]) / 2, top[0][1] + 260), "EXAMPLE HIGH FALCONS",
            fill=(236, 236, 240, 255), font=f, anchor="mm")
    for i in range(1, 6):  # seams of the cover
        xs = -half + 2 * half * i / 6
        md.line([cam.at(xs, top_y, front_z), cam.at(xs, top_y, back_z)], fill=(30, 70, 150, 255),
                width=6)
    mat_rgb = texture(mat.convert("RGB"), rng, 14, 14, 2)
    mat_rgb = ImageChops.multiply(mat_rgb, gradient(size, [(0, (255,) * 3), (0.75, (235,) * 3),
                                                           (1, (170,) * 3)]))
    mat_rgb.putalpha(mat.getchannel("A"))
    img = over(img, mat_rgb, blur=2.5)

    # the standards and the bar
    gear = Image.new("RGBA", size, (0, 0, 0, 0))
    gd = ImageDraw.Draw(gear)
    for side in (-1, 1):
        x0, y0 = cam.at(side * 2.15, 0.0, bar_z)
        _, y1 = cam.at(side * 2.15, 2.5, bar_z)
        gd.rectangle([x0 - 22, y1, x0 + 22, y0], fill=(214, 216, 220, 255))
        for k in range(0, 26):
            yk = cam.at(0, k * 0.1, bar_z)[1]
            gd.line([(x0 - 22, yk), (x0 - 6 if k % 5 else x0 + 10, yk)], fill=(40, 40, 44, 255),
                    width=5)
        gd.rectangle([x0 - 60, y0 - 20, x0 + 60, y0 + 20], fill=(60, 60, 64, 255))
        by = cam.at(0, bar_y, bar_z)[1]
        gd.rectangle([x0 - 30, by - 8, x0 + 30 + (-side) * 30, by + 18], fill=(50, 50, 54, 255))
    bl, by = cam.at(-2.15, bar_y, bar_z)
    br, _ = cam.at(2.15, bar_y, bar_z)
    segments = 10
    for k in range(segments):
        x0 = bl + (br - bl) * k / segments
        x1 = bl + (br - bl) * (k + 1) / segments
        sag = 10 * math.sin(math.pi * (k + 0.5) / segments)
        gd.rectangle([x0, by - 13 + sag, x1, by + 13 + sag],
                     fill=(232, 232, 228, 255) if k % 2 else (210, 50, 44, 255))
    gear = volume(gear, 8, dark=0.4, rim=0.3)
    img = over(img, gear, blur=1.2)

    # the jumper: hips over the bar, back arched, head and shoulders already falling
    look = Look(skin=SKIN[4], top=FALCONS, bottom=shade(FALCONS, 0.55), trousers=0.26, sleeves=0.0,
                hair=HAIR[0], shoes=(240, 240, 240))
    flop = Pose(lean=-112, near_arm=(-35, -20), far_arm=(-15, -5), near_leg=(66, 14),
                far_leg=(52, 4), side=True, facing=1)
    jumper = person(cam.scale(bar_z) * 1.85, flop, look)
    body = Image.new("RGBA", size, (0, 0, 0, 0))
    place(body, jumper, (w * 0.5, by - 140), by="pelvis")
    img = over(img, body, blur=0.8)

    img = tone(img, lift=10, tint=(1.04, 1.0, 0.95), contrast=0.15)
    img = vignette(img, 0.28)
    return grain(img, rng, 2.5)


def track_1600(rng: random.Random) -> Image.Image:
    """The 1,600 meters pack on the back straight, seen from high in the stands."""
    size = (3600, 2400)
    w, h = size
    cam = Camera(size, horizon=-520, focal=14000, eye=4.0)
    inner = 33.5  # the kerb side of lane 1; lane k's inner line is 1.22 m nearer per lane
    lines_z = [inner - 1.22 * k for k in range(9)]

    # the infield beyond the kerb: grass with mowing stripes, softer with distance
    infield = texture(gradient(size, [(0, (96, 134, 70)), (1, (104, 142, 74))]), rng, 22, 16, 3)
    stripes = Image.new("L", size, 0)
    sd = ImageDraw.Draw(stripes)
    for k in range(0, 40, 2):
        z0, z1 = inner + 0.3 + k * 4.0, inner + 0.3 + (k + 1) * 4.0
        sd.rectangle([0, cam.ground(0, z1)[1], w, cam.ground(0, z0)[1]], fill=255)
    img = Image.composite(ImageChops.multiply(infield, Image.new("RGB", size, (222, 230, 214))),
                          infield, stripes)
    far_blur = img.filter(ImageFilter.GaussianBlur(8))
    img = Image.composite(far_blur, img, gradient(size, [(0, (255,) * 3), (0.3, (80,) * 3),
                                                         (0.45, (0,) * 3)]).convert("L"))

    # the track: kerb, eight lanes, then the apron in front of the stands
    track = Image.new("RGBA", size, (0, 0, 0, 0))
    kd = ImageDraw.Draw(track)
    kd.rectangle([0, cam.ground(0, inner + 0.12)[1], w, h], fill=(182, 80, 58, 255))
    kd.rectangle([0, cam.ground(0, lines_z[-1] - 2.2)[1], w, h], fill=(150, 150, 146, 255))
    track_rgb = texture(track.convert("RGB"), rng, 4, 20, 3)
    track_rgb = texture(track_rgb, rng, 160, 10, 2)
    track_rgb.putalpha(track.getchannel("A"))
    img = over(img, track_rgb, blur=0.8)
    lines = Image.new("RGBA", size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(lines)
    ld.rectangle([0, cam.ground(0, inner + 0.12)[1], w, cam.ground(0, inner)[1]],
                 fill=(232, 232, 228, 255))  # the kerb
    for z in lines_z[1:]:
        y = cam.ground(0, z)[1]
        ld.line([(0, y), (w, y)], fill=(244, 240, 232, 235), width=round(cam.scale(z) * 0.05))
    # a relay exchange mark across the lanes, for scale
    for z0, z1 in zip(lines_z, lines_z[1:], strict=False):
        ld.polygon([cam.ground(3.4, z0), cam.ground(3.45, z0), cam.ground(3.45, z1),
                    cam.ground(3.4, z1)], fill=(246, 210, 60, 220))
    img = over(img, lines, blur=0.8)
    # the shadow of the stand's roof across the apron and the outer lanes
    img = over(img, soft_shadow(size, lambda d: d.polygon(
        [(0, h * 0.86), (w, h * 0.8), (w, h), (0, h)], fill=255), 40, 0.35, (20, 24, 40)))

    # the pack running right to left along lanes 1 and 2; Falcons runner third
    colors = [RIVALS[0], RIVALS[2], FALCONS, RIVALS[1], RIVALS[3], RIVALS[4], RIVALS[0], RIVALS[1]]
    spots = [(-2.9, 0.4), (-2.15, 1.25), (-1.45, 0.5), (-0.7, 1.5), (0.0, 0.45), (0.8, 1.15),
             (1.6, 0.6), (2.5, 0.9)]
    spots = [(x + rng.uniform(-0.15, 0.15), depth) for x, depth in spots]
    runners = []
    for (x, depth), color in zip(spots, colors, strict=True):
        z = inner - depth
        tall = cam.scale(z) * rng.uniform(1.6, 1.74)
        look = Look(skin=rng.choice(SKIN), top=color,
                    bottom=shade(color, 0.5) if color != RIVALS[2] else (34, 34, 44),
                    trousers=0.28, sleeves=0.0, hair=rng.choice(HAIR),
                    ponytail=rng.random() < 0.7, long_hair=False,
                    number=str(rng.randint(100, 480)),
                    shoes=rng.choice([(240, 240, 240), (250, 120, 40), (60, 200, 210),
                                      (40, 40, 40)]))
        runners.append((z, cam.ground(x, z), tall,
                        person(tall, running(rng.random(), -1, 10), look)))
    runners.sort(key=lambda r: -r[0])
    img = over(img, shadow_under(size, [(feet, tall) for _, feet, tall, _ in runners], 0.4,
                                 (-0.12, 0.01)))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    for _, feet, _, fig in runners:
        place(layer, fig, feet)
    img = over(img, layer, blur=0.6)

    img = tone(img, lift=8, tint=(1.02, 1.0, 0.97), contrast=0.14)
    img = vignette(img, 0.3)
    return grain(img, rng, 2.5)


def ellipse_on_ground(cam: Camera, cx: float, cz: float, r: float, start: float = 0,
                      end: float = 360, height: float = 0.0, n: int = 64) -> list[Point]:
    """A circle lying flat (a rim, a painted arc), as points on screen."""
    return [cam.at(cx + r * math.cos(math.radians(start + (end - start) * i / n)), height,
                   cz + r * math.sin(math.radians(start + (end - start) * i / n)))
            for i in range(n + 1)]


def basketball(rng: random.Random) -> Image.Image:
    """Girls basketball: a Falcons guard drives to the basket, the home stands behind."""
    size = (2400, 1600)
    w, h = size
    cam = Camera(size, horizon=760, focal=3400, eye=1.5, cx=430)

    # the far wall and the stands, warm and out of focus
    img = gradient(size, [(0, (60, 52, 46)), (0.5, (96, 80, 64)), (1, (70, 58, 48))])
    back = Image.new("RGBA", size, (0, 0, 0, 0))
    bd = ImageDraw.Draw(back)
    stand_bottom = cam.ground(0, 18)[1]
    for k, x in enumerate(range(-200, w, 520)):
        color = FALCONS if k % 2 else (150, 30, 36)
        bd.rectangle([x, 20, x + 300, 250], fill=(*color, 255))
        bd.text((x + 150, 110), "DISTRICT", fill=(*FALCONS_GOLD, 255), font=font(46), anchor="mm")
        bd.text((x + 150, 170), str(2012 + 2 * k), fill=(240, 240, 240, 255), font=font(52),
                anchor="mm")
    fans = [FALCONS, FALCONS, FALCONS, FALCONS_GOLD, FALCONS_GOLD, (240, 240, 236),
            (240, 240, 236), (40, 40, 44), *CASUAL[:5], (150, 30, 36)]
    back.alpha_composite(stands(size, rng, 300, stand_bottom, 11,
                                [muted(c, 0.3) for c in fans], (110, 92, 74)))
    bd.rectangle([0, stand_bottom - 60, w, stand_bottom], fill=(40, 44, 60, 255))
    bd.text((1500, stand_bottom - 30), "HOME OF THE FALCONS", fill=(*FALCONS_GOLD, 255),
            font=font(40), anchor="mm")
    back = ImageChops.multiply(back, gradient(size, [(0, (190, 170, 150)), (0.55, (255, 236, 210))])
                               .convert("RGBA"))
    img = over(img, back, blur=13)

    # the floor: maple boards running the length of the court, the painted key, a gloss
    floor = gradient(size, [(0, (186, 132, 80)), (0.5, (214, 160, 102)), (1, (200, 146, 90))])
    boards = Image.new("L", size, 128)
    od = ImageDraw.Draw(boards)
    z = 40.0
    while z > 1.2:
        y0, y1 = cam.ground(0, z)[1], cam.ground(0, z - 0.06)[1]
        od.rectangle([0, y0, w, y1], fill=128 + rng.randint(-18, 18))
        # board ends, staggered
        x = rng.uniform(-6, 0)
        while x < 14:
            px, py = cam.ground(x, z - 0.03)
            od.line([(px, y0), (px, y1)], fill=100, width=1)
            x += rng.uniform(1.2, 2.4)
        z -= 0.06
    floor = ImageChops.add(floor, Image.merge("RGB", (boards,) * 3), 1.0, -128)
    floor = texture(floor, rng, 40, 10, 2)
    paint = Image.new("RGBA", size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(paint)
    base_x, key_z = 5.6, 9.0
    key = [cam.ground(base_x, key_z - 2.45), cam.ground(base_x - 5.8, key_z - 2.45),
           cam.ground(base_x - 5.8, key_z + 2.45), cam.ground(base_x, key_z + 2.45)]
    pd.polygon(key, fill=(*FALCONS, 235))
    line = (244, 240, 230, 255)
    for a, b in zip(key, key[1:] + key[:1], strict=True):
        pd.line([a, b], fill=line, width=6)
    pd.line(ellipse_on_ground(cam, base_x - 5.8, key_z, 1.8, -90, 90), fill=line, width=6)
    pd.line(ellipse_on_ground(cam, base_x - 1.6, key_z, 6.75, 90, 270, n=128), fill=line, width=6)
    pd.line([cam.ground(base_x, 0.5), cam.ground(base_x, 17)], fill=line, width=7)
    pd.line([cam.ground(-20, 16.0), cam.ground(20, 16.0)], fill=line, width=5)
    pd.polygon(ellipse_on_ground(cam, -8.6, 9.0, 1.8), fill=(*FALCONS_GOLD, 200))
    floor = over(floor, paint)
    floor_mask = Image.new("L", size, 0)
    ImageDraw.Draw(floor_mask).rectangle([0, stand_bottom, w, h], fill=255)
    img = Image.composite(floor, img, floor_mask)
    # the lights above the far stands, reflected in the polish
    glare = Image.new("RGBA", size, (0, 0, 0, 0))
    gd = ImageDraw.Draw(glare)
    for x in range(150, w, 430):
        gd.rectangle([x - 26, stand_bottom + 10, x + 26, h * 0.86], fill=(255, 236, 200, 70))
    img = over(img, glare, blur=26)

    # the hoop, seen from the sideline
    hoop = Image.new("RGBA", size, (0, 0, 0, 0))
    hd = ImageDraw.Draw(hoop)
    board_x = base_x - 1.2
    hd.polygon([cam.at(board_x, 2.9, key_z - 0.9), cam.at(board_x, 2.9, key_z + 0.9),
                cam.at(board_x, 3.95, key_z + 0.9), cam.at(board_x, 3.95, key_z - 0.9)],
               fill=(230, 236, 240, 120), outline=(250, 250, 250, 255), width=10)
    hd.line([cam.at(board_x, 3.6, key_z), cam.at(board_x + 1.6, 6.0, key_z)],
            fill=(40, 40, 44, 255), width=26)
    rim = ellipse_on_ground(cam, board_x - 0.38, key_z, 0.23, height=3.05)
    for k in range(12):  # the net
        a = rim[k * 64 // 12]
        b = (a[0] + (cam.at(board_x - 0.38, 3.05, key_z)[0] - a[0]) * 0.35,
             a[1] + cam.scale(key_z) * 0.42)
        hd.line([a, b], fill=(250, 250, 250, 220), width=4)
    for t in (0.3, 0.6, 0.9):
        hd.line([(a[0] + (cam.at(board_x - 0.38, 3.05, key_z)[0] - a[0]) * 0.35 * t,
                  a[1] + cam.scale(key_z) * 0.42 * t) for a in rim], fill=(250, 250, 250, 150),
                width=3)
    hd.line(rim, fill=(232, 92, 30, 255), width=12)
    img = over(img, hoop, blur=1.0)

    # the players: Falcons in navy, Westfield in red
    players = [
        (1.5, 8.2, replace(running(0.15, 1, 16), near_arm=(35, 55)), FALCONS, "3", True),
        (2.5, 9.4, Pose(lean=-6, near_arm=(-150, -170), far_arm=(-120, -150), near_leg=(10, 0),
                        far_leg=(-12, -4), side=True, facing=-1), (178, 34, 40), "21", False),
        (-0.5, 11.5, running(0.6, 1, 8), FALCONS, "12", False),
        (0.4, 12.4, running(0.35, 1, 6), (178, 34, 40), "5", False),
        (3.7, 13.4, running(0.8, -1, 6), (178, 34, 40), "14", False),
    ]
    figures = []
    for x, z, pose, color, number, ball in players:
        tall = cam.scale(z) * rng.uniform(1.7, 1.82)
        look = Look(skin=rng.choice(SKIN), top=color, bottom=color, trousers=0.5, sleeves=0.0,
                    hair=rng.choice(HAIR), ponytail=rng.random() < 0.6, number=number,
                    shoes=rng.choice([(240, 240, 240), (30, 30, 34)]))
        figures.append((z, cam.ground(x, z), tall, person(tall, pose, look), ball, pose))
    figures.sort(key=lambda f: -f[0])
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(layer)
    for _z, feet, tall, fig, ball, _pose in figures:
        place(layer, fig, feet)
        if ball:  # dribbling: the ball just below the near hand
            r = tall * 0.07
            bx = feet[0] - fig.feet[0] + fig.hand[0] + r * 0.3
            by = feet[1] - fig.feet[1] + fig.hand[1] + r * 1.05
            ld.ellipse([bx - r, by - r, bx + r, by + r], fill=(214, 104, 40, 255))
            ld.arc([bx - r, by - r, bx + r, by + r], 200, 340, fill=(40, 24, 16, 255), width=3)
            ld.line([(bx - r, by), (bx + r, by)], fill=(40, 24, 16, 255), width=3)
            ld.arc([bx - r * 0.5, by - r, bx + r * 1.5, by + r], 110, 250, fill=(40, 24, 16, 255),
                   width=3)
    # reflections in the polished floor, then the contact shadows
    mirror = Image.new("RGBA", size, (0, 0, 0, 0))
    for _z, feet, _tall, fig, _ball, _pose in figures:
        flipped = fig.image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        fx, fy = fig.feet
        mirror.alpha_composite(flipped, (round(feet[0] - fx),
                                         round(feet[1] - (fig.image.size[1] - fy))))
    mirror.putalpha(mirror.getchannel("A").point(lambda v: v * 22 // 100))
    img = over(img, mirror, blur=6)
    img = over(img, shadow_under(size, [(feet, tall) for _, feet, tall, *_ in figures], 0.5))
    img = over(img, layer, blur=0.7)

    img = bloom(img, 200, 40, 0.5)
    img = tone(img, lift=10, tint=(1.05, 1.0, 0.9), contrast=0.12)
    img = vignette(img, 0.4)
    return grain(img, rng, 3)


def box(cam: Camera, x0: float, x1: float, y0: float, y1: float, z0: float, z1: float
        ) -> dict[str, list[Point]]:
    """The faces of an axis-aligned box, projected: front, top, left, right."""
    def p(x: float, y: float, z: float) -> Point:
        return cam.at(x, y, z)
    return {"front": [p(x0, y0, z0), p(x1, y0, z0), p(x1, y1, z0), p(x0, y1, z0)],
            "top": [p(x0, y1, z0), p(x1, y1, z0), p(x1, y1, z1), p(x0, y1, z1)],
            "left": [p(x0, y0, z0), p(x0, y1, z0), p(x0, y1, z1), p(x0, y0, z1)],
            "right": [p(x1, y0, z0), p(x1, y1, z0), p(x1, y1, z1), p(x1, y0, z1)]}


BOOKS = [(140, 40, 40), (40, 70, 120), (30, 96, 70), (200, 170, 80), (230, 226, 210),
         (90, 50, 90), (200, 100, 40), (60, 60, 64), (160, 130, 100), (100, 140, 170),
         (180, 60, 80), (240, 200, 120)]


def bookcase(d: ImageDraw.ImageDraw, cam: Camera, rng: random.Random, x: float, z0: float,
             z1: float, facing: int, shelves: int = 5, height: float = 2.1,
             fill: float = 0.9) -> None:
    """A wall of books along ``x`` from ``z0`` to ``z1``; spines face the aisle."""
    wood, dark = (150, 112, 76), (70, 52, 38)
    depth = 0.32 * -facing
    d.polygon([cam.at(x, 0, z0), cam.at(x, height, z0), cam.at(x, height, z1), cam.at(x, 0, z1)],
              fill=dark)
    step = height / shelves
    for k in range(shelves):
        y0 = 0.08 + k * step
        z = z0
        while z < z1:
            thick = rng.uniform(0.018, 0.05)
            if rng.random() > fill:  # a gap, or a book lying down
                z += rng.uniform(0.05, 0.3)
                continue
            tall = rng.uniform(0.55, 0.85) * step
            color = shade(jitter(rng, rng.choice(BOOKS), 16), rng.uniform(0.8, 1.1))
            d.polygon([cam.at(x, y0, z), cam.at(x, y0 + tall, z), cam.at(x, y0 + tall, z + thick),
                       cam.at(x, y0, z + thick)], fill=color)
            if rng.random() < 0.5:  # a band on the spine
                band = y0 + tall * rng.uniform(0.6, 0.85)
                d.polygon([cam.at(x, band, z), cam.at(x, band + 0.02, z),
                           cam.at(x, band + 0.02, z + thick), cam.at(x, band, z + thick)],
                          fill=shade(color, 1.5))
            z += thick + 0.002
        # the shelf board under the row, and its front edge
        d.polygon([cam.at(x, y0 - 0.03, z0), cam.at(x, y0, z0), cam.at(x, y0, z1),
                   cam.at(x, y0 - 0.03, z1)], fill=wood)
        d.polygon([cam.at(x, y0, z0), cam.at(x + depth, y0, z0), cam.at(x + depth, y0, z1),
                   cam.at(x, y0, z1)], fill=shade(wood, 0.8))
    d.polygon([cam.at(x, height, z0), cam.at(x, height + 0.06, z0), cam.at(x, height + 0.06, z1),
               cam.at(x, height, z1)], fill=wood)
    for z in (z0, z1):
        d.polygon([cam.at(x, 0, z), cam.at(x, height + 0.06, z), cam.at(x, height + 0.06, z + 0.04),
                   cam.at(x, 0, z + 0.04)], fill=wood)


def library(rng: random.Random) -> Image.Image:
    """The renovated library: book walls, tall tables, glass study rooms at the back."""
    size = (2400, 1600)
    w, h = size
    cam = Camera(size, horizon=720, focal=1250, eye=1.55)
    left, right, ceiling, back_z = -4.6, 4.6, 3.4, 19.0

    # room shell: ceiling, walls, carpet
    img = Image.new("RGB", size, (200, 196, 186))
    d = ImageDraw.Draw(img)
    near = 1.2
    corners = {k: cam.at(x, y, z) for k, (x, y, z) in {
        "nlf": (left, 0, near), "nrf": (right, 0, near), "nlc": (left, ceiling, near),
        "nrc": (right, ceiling, near), "blf": (left, 0, back_z), "brf": (right, 0, back_z),
        "blc": (left, ceiling, back_z), "brc": (right, ceiling, back_z)}.items()}
    for face, color in ((("nlc", "nrc", "brc", "blc"), (226, 224, 218)),  # ceiling
                        (("nlf", "nlc", "blc", "blf"), (214, 206, 190)),  # left wall
                        (("nrf", "nrc", "brc", "brf"), (206, 198, 182)),  # right wall
                        (("nlf", "nrf", "brf", "blf"), (92, 104, 120)),  # floor
                        (("blf", "brf", "brc", "blc"), (222, 218, 208))):  # back wall
        d.polygon([corners[k] for k in face], fill=color)
    tiles = Image.new("RGBA", size, (0, 0, 0, 0))
    td = ImageDraw.Draw(tiles)
    for i in range(int((right - left) / 0.5)):
        for j in range(int((back_z - near) / 0.5) + 1):
            x, z = left + i * 0.5, near + j * 0.5
            td.polygon([cam.ground(x, z), cam.ground(x + 0.5, z), cam.ground(x + 0.5, z + 0.5),
                        cam.ground(x, z + 0.5)],
                       fill=(*jitter(rng, (94, 104, 118) if (i + j) % 2 else (88, 98, 112), 2),
                             255))
    img = over(img, tiles, blur=0.8)
    img = texture(img, rng, 3, 14, 2)
    d = ImageDraw.Draw(img)
    for z in [near + k * 1.2 for k in range(16)]:  # ceiling panels
        d.line([cam.at(left, ceiling, z), cam.at(right, ceiling, z)], fill=(200, 198, 192), width=3)
    for x in [left + k * 1.15 for k in range(1, 8)]:
        d.line([cam.at(x, ceiling, near), cam.at(x, ceiling, back_z)], fill=(200, 198, 192),
               width=3)

    # the back wall: four glass study rooms
    glass = Image.new("RGBA", size, (0, 0, 0, 0))
    gd = ImageDraw.Draw(glass)
    room_w = (right - left) / 4
    for k in range(4):
        x0, x1 = left + k * room_w + 0.05, left + (k + 1) * room_w - 0.05
        gd.polygon([cam.at(x0, 0, back_z), cam.at(x1, 0, back_z), cam.at(x1, 2.6, back_z),
                    cam.at(x0, 2.6, back_z)], fill=(200, 224, 228, 255))
        gd.polygon([cam.at(x0 + 0.25, 1.0, back_z + 0.5), cam.at(x1 - 0.25, 1.0, back_z + 0.5),
                    cam.at(x1 - 0.25, 2.0, back_z + 0.5), cam.at(x0 + 0.25, 2.0, back_z + 0.5)],
                   fill=(246, 248, 246, 255) if k % 2 else (40, 44, 56, 255))
        gd.polygon(box(cam, x0 + 0.4, x1 - 0.4, 0, 0.75, back_z + 0.8, back_z + 1.6)["front"],
                   fill=(170, 130, 90, 255))
        for j in range(rng.randint(1, 3)):  # people studying, seen through the glass
            px = x0 + 0.45 + j * 0.6
            place(glass, person(cam.scale(back_z + 1.2) * 1.3, standing(rng),
                                random_look(rng, CASUAL, [(50, 60, 80)], trousers=1.0),
                                shading=False), cam.ground(px, back_z + 1.2))
        for x in (x0, x1):
            gd.line([cam.at(x, 0, back_z), cam.at(x, 2.6, back_z)], fill=(60, 62, 66, 255), width=6)
        gd.line([cam.at(x0, 2.6, back_z), cam.at(x1, 2.6, back_z)], fill=(60, 62, 66, 255), width=6)
        gd.line([cam.at(x0, 1.05, back_z), cam.at(x1, 1.05, back_z)], fill=(200, 200, 200, 200),
                width=3)
    sign = cam.at(0, 2.95, back_z)
    gd.text(sign, "STUDY ROOMS  1 · 2 · 3 · 4", fill=(50, 60, 80, 255), font=font(26), anchor="mm")
    glass_rgb = ImageChops.multiply(glass.convert("RGB"), Image.new("RGB", size, (220, 236, 240)))
    glass_rgb.putalpha(glass.getchannel("A"))
    img = over(img, glass_rgb, blur=1.5)

    # windows on the left wall, book walls on both sides
    walls = Image.new("RGBA", size, (0, 0, 0, 0))
    wd = ImageDraw.Draw(walls)
    for z0 in (2.0, 6.5, 11.0):
        wd.polygon([cam.at(left, 2.35, z0), cam.at(left, 3.2, z0), cam.at(left, 3.2, z0 + 3.4),
                    cam.at(left, 2.35, z0 + 3.4)], fill=(250, 252, 255, 255))
        wd.line([cam.at(left, 2.35, z0 + 1.7), cam.at(left, 3.2, z0 + 1.7)],
                fill=(120, 120, 120, 255), width=5)
    bookcase(wd, cam, rng, left + 0.02, 1.3, back_z - 0.3, facing=1)
    bookcase(wd, cam, rng, right - 0.02, 1.3, back_z - 0.3, facing=-1)
    walls = volume(walls, 3, dark=0.2, rim=0.1)
    img = over(img, walls, blur=0.8)
    # a few shelves still empty, the last boxes waiting in front of them
    boxes = Image.new("RGBA", size, (0, 0, 0, 0))
    xd = ImageDraw.Draw(boxes)
    for z in (13.2, 13.9, 15.0):
        faces = box(cam, right - 0.9, right - 0.4, 0, 0.4, z, z + 0.5)
        xd.polygon(faces["left"], fill=(176, 138, 92, 255))
        xd.polygon(faces["front"], fill=(196, 156, 106, 255))
        xd.polygon(faces["top"], fill=(214, 178, 128, 255))
    img = over(img, boxes, blur=1)

    # light: pendant lamps, window light pooling on the carpet
    lamps = Image.new("RGBA", size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(lamps)
    for z in (3.0, 6.0, 9.0, 12.0, 15.0):
        for x in (-1.6, 1.6):
            top, bottom = cam.at(x, ceiling, z), cam.at(x, 2.75, z)
            ld.line([top, bottom], fill=(40, 40, 40, 255), width=max(1, round(cam.scale(z) * 0.01)))
            r = cam.scale(z) * 0.28
            ld.chord([bottom[0] - r, bottom[1] - r * 0.5, bottom[0] + r, bottom[1] + r * 0.5],
                     180, 360, fill=(40, 44, 48, 255))
            ld.ellipse([bottom[0] - r * 0.9, bottom[1] - r * 0.12, bottom[0] + r * 0.9,
                        bottom[1] + r * 0.18], fill=(255, 244, 214, 255))
    img = over(img, lamps, blur=0.8)
    pools = Image.new("RGBA", size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(pools)
    for z0 in (2.0, 6.5, 11.0):
        pd.polygon([cam.ground(left, z0 + 0.6), cam.ground(left + 2.6, z0 + 1.2),
                    cam.ground(left + 2.6, z0 + 4.4), cam.ground(left, z0 + 4.0)],
                   fill=(255, 246, 220, 70))
    img = over(img, pools, blur=30)

    # tall tables with students, a beanbag corner
    furniture = Image.new("RGBA", size, (0, 0, 0, 0))
    fd = ImageDraw.Draw(furniture)
    shadows = []
    tables = [(-1.9, 5.0), (1.1, 5.0), (-1.9, 9.5), (1.1, 9.5)]
    for tx, tz in sorted(tables, key=lambda t: -t[1]):
        top = box(cam, tx, tx + 1.5, 1.0, 1.05, tz, tz + 1.0)
        for lx, lz in ((tx + 0.1, tz + 0.1), (tx + 1.4, tz + 0.1), (tx + 0.1, tz + 0.9),
                       (tx + 1.4, tz + 0.9)):
            fd.line([cam.at(lx, 0, lz), cam.at(lx, 1.0, lz)], fill=(60, 60, 60, 255),
                    width=max(2, round(cam.scale(lz) * 0.05)))
        fd.polygon(top["top"], fill=(226, 214, 190, 255))
        fd.polygon(top["front"], fill=(150, 120, 88, 255))
        shadows.append([cam.ground(tx, tz), cam.ground(tx + 1.5, tz),
                        cam.ground(tx + 1.5, tz + 1.0), cam.ground(tx, tz + 1.0)])
        if rng.random() < 0.8:  # a laptop glowing on the table
            lx, lz = tx + rng.uniform(0.2, 0.9), tz + 0.3
            fd.polygon([cam.at(lx, 1.06, lz), cam.at(lx + 0.33, 1.06, lz),
                        cam.at(lx + 0.33, 1.3, lz + 0.05), cam.at(lx, 1.3, lz + 0.05)],
                       fill=(190, 214, 240, 255))
    img = over(img, soft_shadow(size, lambda d: [d.polygon(p, fill=255) for p in shadows],
                                16, 0.35))
    img = over(img, furniture, blur=0.8)
    students = Image.new("RGBA", size, (0, 0, 0, 0))
    for sx, sz, facing in ((-1.6, 6.3, 1), (1.9, 4.6, -1), (0.7, 10.8, 1), (-1.3, 9.2, -1)):
        place(students, person(cam.scale(sz) * 1.66, standing(rng, side=True, facing=facing),
                               random_look(rng, CASUAL,
                                           [(40, 50, 80), (60, 60, 64), (150, 140, 120)],
                                           trousers=1.0, sleeves=0.5)), cam.ground(sx, sz))
    img = over(img, students, blur=0.8)
    bags = Image.new("RGBA", size, (0, 0, 0, 0))
    bd = ImageDraw.Draw(bags)
    for bx, bz, color in ((-3.3, 4.6, (200, 90, 60)), (-2.6, 3.6, (60, 120, 150)),
                          (-3.4, 3.2, (230, 190, 80))):
        c = cam.ground(bx, bz)
        r = cam.scale(bz) * 0.42
        bd.ellipse([c[0] - r, c[1] - r * 1.25, c[0] + r, c[1] + r * 0.12], fill=(*color, 255))
        bd.ellipse([c[0] - r * 0.6, c[1] - r * 1.22, c[0] + r * 0.5, c[1] - r * 0.7],
                   fill=(*shade(color, 0.8), 255))  # the dent where someone sat
    img = over(img, soft_shadow(size, lambda d: [d.ellipse(
        [cam.ground(bx, bz)[0] - cam.scale(bz) * 0.5, cam.ground(bx, bz)[1] - cam.scale(bz) * 0.08,
         cam.ground(bx, bz)[0] + cam.scale(bz) * 0.5, cam.ground(bx, bz)[1] + cam.scale(bz) * 0.1],
        fill=255) for bx, bz in ((-3.3, 4.6), (-2.6, 3.6), (-3.4, 3.2))], 12, 0.5))
    img = over(img, volume(bags, 60, dark=0.6, rim=0.35), blur=2)

    img = bloom(img, 215, 50, 0.55)
    img = tone(img, lift=8, tint=(1.04, 1.0, 0.93), contrast=0.1)
    img = vignette(img, 0.38)
    return grain(img, rng, 2.5)


AUTUMN = [(186, 84, 40), (212, 128, 44), (222, 170, 64), (158, 56, 40), (146, 108, 44),
          (196, 150, 72), (116, 116, 54), (214, 106, 50)]


def tree(d: ImageDraw.ImageDraw, rng: random.Random, base: Point, height: float,
         palette: Sequence[Color], trunk: Color = (62, 46, 38)) -> None:
    """A broadleaf tree in autumn: a tapering trunk, branches, a crown of leafy clumps."""
    x, y = base
    tw = height * 0.045
    top = (x + rng.uniform(-0.05, 0.05) * height, y - height * 0.55)
    d.polygon([(x - tw, y), (x + tw, y), (top[0] + tw * 0.4, top[1]), (top[0] - tw * 0.4, top[1])],
              fill=trunk)
    for _ in range(5):
        a = math.radians(rng.uniform(-60, 60))
        length = height * rng.uniform(0.2, 0.35)
        start = _partial((x, y), top, rng.uniform(0.5, 1.0))
        d.line([start, (start[0] + math.sin(a) * length, start[1] - math.cos(a) * length)],
               fill=trunk, width=max(1, round(tw * 0.5)))
    crown = (top[0], top[1] - height * 0.1)
    base_color = rng.choice(palette)
    for _ in range(13):  # clumps: a shaded core, then leaves catching the light from the left
        r = height * rng.uniform(0.1, 0.17)
        cx = crown[0] + rng.gauss(0, height * 0.19)
        cy = crown[1] + rng.gauss(0, height * 0.12)
        low = max(0.0, (cy - crown[1]) / height)
        d.ellipse([cx - r * 0.8, cy - r * 0.7, cx + r * 0.8, cy + r * 0.7],
                  fill=shade(base_color, 0.55 - low * 0.3))
        leaf = max(1.5, height * 0.011)
        for _ in range(110):
            a = rng.uniform(0, 2 * math.pi)
            dist = r * math.sqrt(rng.random())
            lx, ly = cx + math.cos(a) * dist, cy + math.sin(a) * dist * 0.85
            lit = 0.5 + 0.5 * (-(lx - cx) * 0.6 - (ly - cy)) / r
            color = shade(mix(base_color, rng.choice(palette), rng.uniform(0, 0.45)),
                          min(1.03, 0.62 + 0.4 * lit - low * 0.35 + rng.uniform(-0.08, 0.08)))
            lr = leaf * rng.uniform(0.7, 1.5)
            d.ellipse([lx - lr, ly - lr * 0.8, lx + lr, ly + lr * 0.8], fill=color)


def path_polygon(cam: Camera, points: Sequence[tuple[float, float]], width: float
                 ) -> list[Point]:
    """A band of ``width`` metres along a ground polyline of (x, z), projected."""
    left, right = [], []
    for i, (x, z) in enumerate(points):
        nx, nz = points[min(i + 1, len(points) - 1)]
        px, pz = points[max(i - 1, 0)]
        dx, dz = nx - px, nz - pz
        norm = math.hypot(dx, dz) or 1
        ox, oz = -dz / norm * width / 2, dx / norm * width / 2
        left.append(cam.ground(x + ox, z + oz))
        right.append(cam.ground(x - ox, z - oz))
    return left + right[::-1]


def smooth_path(points: Sequence[tuple[float, float]],
                steps: int = 12) -> list[tuple[float, float]]:
    """Catmull-Rom through the points."""
    out = []
    pts = [points[0], *points, points[-1]]
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(steps):
            t = k / steps
            out.append(tuple(0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t
                                    + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t * t
                                    + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t ** 3)
                             for j in range(2)))
    out.append(points[-1])
    return out  # type: ignore[return-value]


def cross_country(rng: random.Random) -> Image.Image:
    """Regionals: runners on a muddy course through autumn trees, from the spectators' side."""
    size = (4032, 3024)
    w, h = size
    cam = Camera(size, horizon=1330, focal=2950, eye=1.5)
    img = gradient(size, [(0, (170, 184, 196)), (0.35, (208, 210, 206)), (0.45, (214, 206, 190))])
    clouds = fractal(size, rng, 900, 4).point(lambda v: max(0, v - 120) * 2)
    img = Image.composite(Image.new("RGB", size, (232, 230, 226)), img, clouds)

    # far hills and a far tree line in haze
    far = Image.new("RGBA", size, (0, 0, 0, 0))
    fd = ImageDraw.Draw(far)
    pts = [(0, cam.horizon - 180)]
    for x in range(0, w + 200, 200):
        pts.append((x, cam.horizon - 160 - 90 * math.sin(x / 700) - rng.uniform(0, 30)))
    fd.polygon([*pts, (w, cam.horizon + 20), (0, cam.horizon + 20)], fill=(150, 150, 140, 255))
    for _ in range(160):
        x = rng.uniform(0, w)
        r = rng.uniform(40, 110)
        y = cam.horizon - rng.uniform(0, 120)
        fd.ellipse([x - r, y - r * 1.3, x + r, y + r], fill=(*muted(rng.choice(AUTUMN), 0.55), 255))
    img = over(img, far, blur=10)

    # the field
    field = texture(gradient(size, [(0, (140, 140, 80)), (0.5, (126, 138, 70)),
                                    (1, (104, 122, 56))]), rng, 200, 9, 3)
    field = texture(field, rng, 5, 12, 2)
    field_mask = Image.new("L", size, 0)
    ImageDraw.Draw(field_mask).rectangle([0, cam.horizon - 5, w, h], fill=255)
    img = Image.composite(field, img, field_mask)

    # tree line behind the course, far trees first
    trees = Image.new("RGBA", size, (0, 0, 0, 0))
    td = ImageDraw.Draw(trees)
    for z in (70, 55, 44, 36):
        x = -30.0
        while x < 30:
            base = cam.ground(x, z + rng.uniform(-3, 3))
            tree(td, rng, base, cam.scale(z) * rng.uniform(11, 16), AUTUMN)
            x += rng.uniform(5, 9) * z / 40
    tree_rgb = texture(trees.convert("RGB"), rng, 6, 34, 3)
    tree_rgb.putalpha(trees.getchannel("A"))
    img = over(img, tree_rgb, blur=3)
    # leaves fallen under the trees
    leaves = Image.new("RGBA", size, (0, 0, 0, 0))
    lv = ImageDraw.Draw(leaves)
    for _ in range(7000):
        z = 36 - rng.random() ** 2 * 20
        x = rng.uniform(-1, 1) * z * 0.75
        px, py = cam.ground(x, z)
        r = cam.scale(z) * 0.05
        lv.ellipse([px - r, py - r * 0.4, px + r, py + r * 0.4],
                   fill=(*shade(rng.choice(AUTUMN), rng.uniform(0.7, 1.0)), 200))
    img = over(img, leaves, blur=1)

    # the course: a muddy band mown through the grass, flagged on both sides
    course = smooth_path([(-40, 50), (-16, 28), (-6, 14), (1, 8.5), (7, 5.9), (14, 4.9), (26, 4.5)])
    mud = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(mud).polygon(path_polygon(cam, course, 3.2), fill=(112, 86, 60, 255))
    mud_rgb = texture(mud.convert("RGB"), rng, 10, 40, 3)
    puddles = fractal(size, rng, 60, 3).point(lambda v: 255 if v > 200 else 0)
    mud_rgb = Image.composite(Image.new("RGB", size, (170, 172, 170)), mud_rgb,
                              ImageChops.multiply(puddles, Image.new("L", size, 90)))
    mud_rgb.putalpha(mud.getchannel("A"))
    img = over(img, mud_rgb, blur=1)
    flags = Image.new("RGBA", size, (0, 0, 0, 0))
    fl = ImageDraw.Draw(flags)
    for i in range(0, len(course) - 1, 3):
        (x0, z0), (x1, z1) = course[i], course[i + 1]
        dx, dz = x1 - x0, z1 - z0
        norm = math.hypot(dx, dz) or 1
        for side in (-1, 1):
            fx, fz = x0 + side * -dz / norm * 2.2, z0 + side * dx / norm * 2.2
            if fz < 2:
                continue
            bottom, top = cam.ground(fx, fz), cam.at(fx, 0.9, fz)
            s = cam.scale(fz)
            fl.line([bottom, top], fill=(230, 230, 230, 255), width=max(1, round(s * 0.015)))
            color = (220, 40, 40) if side < 0 else (246, 200, 40)
            fl.polygon([top, (top[0] + s * 0.3, top[1] + s * 0.08), (top[0], top[1] + s * 0.18)],
                       fill=(*color, 255))
    img = over(img, flags, blur=1)

    # spectators along the tree line, the team tent
    fans = Image.new("RGBA", size, (0, 0, 0, 0))
    tent = box(cam, -7.5, -4.5, 2.2, 2.3, 27, 30)
    fd = ImageDraw.Draw(fans)
    for lx, lz in ((-7.5, 27), (-4.5, 27), (-7.5, 30), (-4.5, 30)):
        fd.line([cam.ground(lx, lz), cam.at(lx, 2.2, lz)], fill=(200, 200, 200, 255), width=6)
    fd.polygon(tent["front"], fill=(*FALCONS, 255))
    fd.polygon([cam.at(-7.5, 2.3, 27), cam.at(-4.5, 2.3, 27), cam.at(-6.0, 3.0, 28.5)],
               fill=(*shade(FALCONS, 1.2), 255))
    fd.text(cam.at(-6.0, 2.25, 27), "FALCONS XC", fill=(*FALCONS_GOLD, 255), font=font(30),
            anchor="mm")
    for _ in range(14):
        z = rng.uniform(24, 34)
        x = rng.uniform(-12, 6)
        if -8 < x < -4 and z > 26:
            continue
        place(fans, person(cam.scale(z) * rng.uniform(1.55, 1.8), standing(rng),
                           random_look(rng, [FALCONS, (60, 60, 64), (150, 40, 40), (40, 90, 70),
                                             (200, 190, 170)], [(40, 44, 60), (70, 70, 72)],
                                       trousers=1.0, sleeves=1.0), shading=False),
              cam.ground(x, z))
    img = over(img, fans, blur=2.5)

    # the runners, nearest last; Falcons in navy
    spots = [(-13.0, 0.3, RIVALS[1]), (-8.0, -0.4, RIVALS[0]), (-4.2, 0.2, FALCONS),
             (-0.8, -0.3, RIVALS[3]), (3.4, 0.1, FALCONS)]
    runners = []
    for x, dz, color in spots:
        z = min(course, key=lambda p: abs(p[0] - x))[1] + dz
        tall = cam.scale(z) * rng.uniform(1.65, 1.78)
        look = Look(skin=rng.choice(SKIN), top=color, bottom=(30, 30, 36), trousers=0.28,
                    sleeves=0.0, hair=rng.choice(HAIR), number=str(rng.randint(100, 400)),
                    shoes=rng.choice([(240, 240, 240), (250, 120, 40), (60, 200, 210)]))
        runners.append((z, cam.ground(x, z), tall,
                        person(tall, running(rng.random(), 1, 10), look)))
    runners.sort(key=lambda r: -r[0])
    img = over(img, shadow_under(size, [(f, t) for _, f, t, _ in runners], 0.35))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    for _, feet, _, fig in runners:
        place(layer, fig, feet)
    img = over(img, layer, blur=1.2)

    # grass and leaves right in front of the lens, soft
    near = Image.new("RGBA", size, (0, 0, 0, 0))
    nd = ImageDraw.Draw(near)
    for _ in range(14000):
        x = rng.uniform(0, w)
        y0 = h - rng.random() ** 1.6 * (h - cam.ground(0, 9)[1])
        depth = (y0 - cam.horizon) / (h - cam.horizon)
        length = rng.uniform(20, 70) * depth ** 2
        nd.line([(x, y0), (x + rng.uniform(-0.3, 0.3) * length, y0 - length)],
                fill=(*jitter(rng, (118, 132, 64), 22), 255), width=max(1, round(4 * depth)))
    img = over(img, near, blur=1.5)
    # the course tape on the near side, and two spectators in front of the phone, out of focus
    near = Image.new("RGBA", size, (0, 0, 0, 0))
    nd = ImageDraw.Draw(near)
    stakes = [(x, 3.4 + 0.02 * x) for x in range(-6, 8, 3)]
    for x, z in stakes:
        nd.line([cam.ground(x, z), cam.at(x, 0.65, z)], fill=(200, 200, 196, 255), width=14)
    tape = [cam.at(x, 0.6 - 0.04 * math.sin(x), z) for x, z in
            smooth_path([(x, z) for x, z in stakes], 8)]
    nd.line(tape, fill=(236, 70, 50, 255), width=16)
    img = over(img, near, blur=5)
    near = Image.new("RGBA", size, (0, 0, 0, 0))
    nd = ImageDraw.Draw(near)
    for (cx, color, hair) in ((520, (60, 70, 80), HAIR[0]), (3500, (150, 40, 44), HAIR[2])):
        head = 330
        top = h - head * 1.5
        nd.rounded_rectangle([cx - head * 1.6, h - head * 0.55, cx + head * 1.6, h + head],
                             radius=head * 0.6, fill=(*color, 255))
        nd.ellipse([cx - head * 0.5, top, cx + head * 0.5, top + head * 1.2], fill=(*hair, 255))
        nd.rectangle([cx - head * 0.2, top + head * 1.0, cx + head * 0.2, h - head * 0.4],
                     fill=(*shade(SKIN[1], 0.6), 255))
    img = over(img, near, blur=22)

    img = tone(img, lift=8, tint=(1.04, 1.0, 0.94), contrast=0.12)
    img = vignette(img, 0.3)
    return grain(img, rng, 2)


OBANGSAEK = [(36, 84, 170), (206, 40, 44), (246, 200, 40), (244, 242, 236), (34, 34, 38)]


def chuseok(rng: random.Random) -> Image.Image:
    """Chuseok games in the courtyard at lunch, upright (portrait) as the phone held it."""
    size = (3024, 4032)
    w, h = size
    cam = Camera(size, horizon=2150, focal=2900, eye=1.5)
    img = gradient(size, [(0, (70, 128, 206)), (0.3, (132, 178, 226)), (0.5, (190, 212, 232))])
    clouds = fractal(size, rng, 500, 4).point(lambda v: max(0, v - 150) * 3)
    img = Image.composite(Image.new("RGB", size, (248, 248, 250)), img, clouds)

    # the school: a brick wing across the back of the courtyard, windows in rows
    school = Image.new("RGBA", size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(school)
    wall_z = 24.0
    top = cam.at(0, 13.0, wall_z)[1]
    base = cam.ground(0, wall_z)[1]
    sd.rectangle([0, top, w, base], fill=(168, 92, 70, 255))
    sd.rectangle([0, top - 40, w, top + 30], fill=(214, 208, 196, 255))
    for floor in range(3):
        y0 = cam.at(0, 3.3 + floor * 3.9, wall_z)[1]
        y1 = cam.at(0, 1.2 + floor * 3.9, wall_z)[1]
        for k in range(-6, 7):
            x0 = cam.at(k * 2.6 - 0.9, 0, wall_z)[0]
            x1 = cam.at(k * 2.6 + 0.9, 0, wall_z)[0]
            sd.rectangle([x0 - 10, y0 - 10, x1 + 10, y1 + 14], fill=(220, 214, 204, 255))
            sky = mix((150, 186, 220), (60, 80, 100), rng.uniform(0.2, 0.8))
            sd.rectangle([x0, y0, x1, y1], fill=(*sky, 255))
            sd.line([((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)], fill=(220, 214, 204, 255), width=8)
    door = cam.at(-1.6, 2.6, wall_z), cam.ground(1.6, wall_z)
    sd.rectangle([door[0][0], door[0][1], door[1][0], door[1][1]], fill=(70, 80, 90, 255))
    bricks = texture(school.convert("RGB"), rng, 4, 16, 2)
    bricks.putalpha(school.getchannel("A"))
    img = over(img, bricks, blur=2.2)
    # a banner on the wall
    banner = Image.new("RGBA", size, (0, 0, 0, 0))
    bn = ImageDraw.Draw(banner)
    b0, b1 = cam.at(-5.0, 4.4, wall_z - 0.1), cam.at(5.0, 3.5, wall_z - 0.1)
    bn.rectangle([b0[0], b0[1], b1[0], b1[1]], fill=(250, 246, 232, 255))
    bn.rectangle([b0[0], b0[1], b1[0], b0[1] + 14], fill=(*OBANGSAEK[1], 255))
    bn.rectangle([b0[0], b1[1] - 14, b1[0], b1[1]], fill=(*OBANGSAEK[0], 255))
    bn.text(((b0[0] + b1[0]) / 2, (b0[1] + b1[1]) / 2), "CHUSEOK GAMES  ·  KOREAN CULTURE CLUB",
            fill=(120, 30, 34, 255), font=font((b1[1] - b0[1]) * 0.42), anchor="mm")
    img = over(img, banner, blur=2)

    # paving, strings of five-colour flags overhead
    paving = Image.new("RGBA", size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(paving)
    for i in range(-30, 30):
        for j in range(0, 60):
            x, z = i * 0.4, 1.0 + j * 0.4
            if z > wall_z:
                continue
            tint = shade((196, 190, 178), rng.uniform(0.95, 1.03))
            pd.polygon([cam.ground(x, z), cam.ground(x + 0.4, z), cam.ground(x + 0.4, z + 0.4),
                        cam.ground(x, z + 0.4)], fill=(*tint, 255), outline=(160, 156, 148, 255))
    pave_rgb = texture(paving.convert("RGB"), rng, 6, 12, 2)
    pave_rgb.putalpha(paving.getchannel("A"))
    img = over(img, pave_rgb, blur=1.2)
    # the courtyard in shade at the front: the building behind the photographer
    img = over(img, soft_shadow(size, lambda d: d.polygon(
        [(0, cam.ground(0, 9)[1]), (w, cam.ground(0, 7.5)[1]), (w, h), (0, h)], fill=255),
        30, 0.28, (20, 30, 60)))

    # people: a ring around the yut mat, a jegichagi kicker, the tuho jar
    crowd_layer = Image.new("RGBA", size, (0, 0, 0, 0))
    spots = []
    for _ in range(24):
        z = rng.uniform(8.5, 20)
        x = rng.uniform(-5.5, 5.5)
        if z < 11 and abs(x) < 2.5:  # keep the table clear
            continue
        spots.append((z, x))
    hanbok = [((246, 200, 210), (200, 40, 70)), ((250, 236, 150), (36, 84, 170)),
              ((236, 246, 236), (140, 40, 120))]
    for z, x in sorted(spots, reverse=True):
        if rng.random() < 0.2:
            top_color, skirt_color = rng.choice(hanbok)
            look = Look(skin=rng.choice(SKIN), top=top_color, bottom=skirt_color, trousers=1.0,
                        sleeves=1.0, skirt=1.0, hair=rng.choice(HAIR), long_hair=True,
                        shoes=(240, 236, 226))
        else:
            look = random_look(rng, CASUAL + [(240, 240, 236)] * 3, [(40, 50, 80), (60, 60, 64),
                                                                     (200, 196, 180)],
                               trousers=rng.choice([0.45, 1.0, 1.0]),
                               sleeves=rng.choice([0.3, 1.0]))
        place(crowd_layer, person(cam.scale(z) * rng.uniform(1.55, 1.8),
                                  standing(rng, side=rng.random() < 0.3,
                                           facing=rng.choice((-1, 1))),
                                  look), cam.ground(x, z))
    img = over(img, crowd_layer, blur=2.0)

    # the yut table in the middle ground
    table = Image.new("RGBA", size, (0, 0, 0, 0))
    td = ImageDraw.Draw(table)
    tz = 6.2
    t = box(cam, -1.3, 1.3, 0.72, 0.76, tz, tz + 1.2)
    for lx in (-1.2, 1.2):
        td.line([cam.ground(lx, tz + 0.1), cam.at(lx, 0.72, tz + 0.1)], fill=(80, 80, 84, 255),
                width=20)
    td.polygon(t["top"], fill=(232, 228, 220, 255))
    td.polygon(t["front"], fill=(180, 176, 168, 255))
    m = box(cam, -0.8, 0.8, 0.76, 0.77, tz + 0.2, tz + 1.0)
    td.polygon(m["top"], fill=(170, 36, 40, 255))
    for i in range(5):  # the board's stations
        for j in range(5):
            if i in (0, 4) or j in (0, 4) or i == j or i + j == 4:
                c = cam.at(-0.6 + i * 0.3, 0.77, tz + 0.3 + j * 0.15)
                td.ellipse([c[0] - 12, c[1] - 5, c[0] + 12, c[1] + 5], fill=(246, 220, 160, 255))
    img = over(img, table, blur=0.8)
    # students at the table, one throwing the sticks
    players = Image.new("RGBA", size, (0, 0, 0, 0))
    throw = Pose(lean=4, near_arm=(-170, -175), far_arm=(-30, 10), near_leg=(4, 0), far_leg=(-5, 0))
    place(players, person(cam.scale(tz + 1.6) * 1.7, throw,
                          random_look(rng, [(240, 240, 236)], [(40, 50, 80)], trousers=1.0)),
          cam.ground(0.3, tz + 1.6))
    for x, z in ((-1.7, tz + 0.9), (1.8, tz + 0.8), (-1.0, tz + 1.9), (0.9, tz + 2.1)):
        place(players, person(cam.scale(z) * rng.uniform(1.6, 1.75), standing(rng),
                              random_look(rng, CASUAL, [(40, 50, 80), (60, 60, 64)], trousers=1.0,
                                          sleeves=rng.choice([0.3, 1.0]))), cam.ground(x, z))
    img = over(img, players, blur=0.6)
    # four yut sticks in the air above the mat
    sticks = Image.new("RGBA", size, (0, 0, 0, 0))
    for k in range(4):
        sz = tz + 0.6
        cx, cy = cam.at(rng.uniform(-0.5, 0.5), rng.uniform(2.1, 2.6), sz)
        length = round(cam.scale(sz) * 0.2)
        stick = Image.new("RGBA", (length, length // 4), (0, 0, 0, 0))
        sk = ImageDraw.Draw(stick)
        sk.rounded_rectangle([0, 0, length - 1, length // 4 - 1], radius=length // 8,
                             fill=(226, 196, 140, 255))
        if k % 2:
            for xm in (0.3, 0.5, 0.7):  # the marked (back) side
                m0, m1 = length * xm, length // 16
                sk.line([(m0 - m1, m1), (m0 + m1, 3 * m1)], fill=(60, 40, 30, 255), width=3)
                sk.line([(m0 + m1, m1), (m0 - m1, 3 * m1)], fill=(60, 40, 30, 255), width=3)
        stick = stick.rotate(rng.uniform(0, 180), expand=True, resample=BICUBIC)
        sticks.alpha_composite(volume(stick, 3), (round(cx - stick.size[0] / 2),
                                                 round(cy - stick.size[1] / 2)))
    img = over(img, sticks, blur=1.5)  # motion

    # bunting overhead, nearest strings largest
    bunting = Image.new("RGBA", size, (0, 0, 0, 0))
    bd = ImageDraw.Draw(bunting)
    for z, sag in ((16.0, 0.5), (10.0, 0.6), (6.0, 0.7)):
        pts = [cam.at(x / 4, 4.6 - sag * (1 - (x / 4 / 8) ** 2), z) for x in range(-40, 41)]
        bd.line(pts, fill=(60, 60, 60, 255), width=max(2, round(cam.scale(z) * 0.01)))
        for i in range(0, len(pts) - 1, 2):
            (x0, y0), (x1, y1) = pts[i], pts[i + 1]
            color = OBANGSAEK[(i // 2) % 5]
            bd.polygon([(x0, y0), (x1, y1), ((x0 + x1) / 2, y0 + cam.scale(z) * 0.3)],
                       fill=(*color, 255))
    img = over(img, volume(bunting, 6, dark=0.3, rim=0.2), blur=1.0)

    # jegichagi on the right: one foot up, the jegi in the air
    kicker = Image.new("RGBA", size, (0, 0, 0, 0))
    kick = Pose(lean=-6, near_arm=(40, 30), far_arm=(-50, -40), near_leg=(-70, 10), far_leg=(2, 0),
                side=True, facing=-1)
    z = 5.2
    place(kicker, person(cam.scale(z) * 1.72, kick,
                         random_look(rng, [(60, 110, 170)], [(40, 44, 60)], trousers=1.0,
                                     sleeves=0.3)), cam.ground(2.4, z))
    jx, jy = cam.at(1.85, 0.95, z)
    js = cam.scale(z) * 0.001
    kd = ImageDraw.Draw(kicker)
    for k in range(9):
        a = math.radians(-90 + (k - 4) * 12)
        kd.line([(jx, jy), (jx + math.cos(a) * 90 * js, jy + math.sin(a) * 140 * js)],
                fill=(*OBANGSAEK[k % 4], 255), width=round(12 * js))
    kd.ellipse([jx - 28 * js, jy - 10 * js, jx + 28 * js, jy + 18 * js], fill=(190, 160, 80, 255))
    img = over(img, kicker, blur=0.8)
    # the tuho jar and arrows, close, on the left
    jar = Image.new("RGBA", size, (0, 0, 0, 0))
    jd = ImageDraw.Draw(jar)
    z = 4.1
    base_pt = cam.ground(0.7, z)
    s = cam.scale(z)
    outline = [(-0.12, 0), (0.12, 0), (0.2, -0.3), (0.09, -0.7), (-0.09, -0.7), (-0.2, -0.3)]
    jd.polygon([(base_pt[0] + x * s, base_pt[1] + y * s) for x, y in outline],
               fill=(44, 80, 120, 255))
    jd.ellipse([base_pt[0] - 0.1 * s, base_pt[1] - 0.74 * s, base_pt[0] + 0.1 * s,
                base_pt[1] - 0.66 * s], fill=(20, 30, 44, 255))
    for k in range(5):
        a = math.radians(-90 + (k - 2) * 9 + rng.uniform(-3, 3))
        x0, y0 = base_pt[0] + (k - 2) * 0.02 * s, base_pt[1] - 0.7 * s
        x1, y1 = x0 + math.cos(a) * 0.55 * s, y0 + math.sin(a) * 0.55 * s
        jd.line([(x0, y0), (x1, y1)], fill=(210, 180, 120, 255), width=max(2, round(0.012 * s)))
        jd.polygon([(x1, y1), (x1 - 0.03 * s, y1 + 0.08 * s), (x1 + 0.03 * s, y1 + 0.08 * s)],
                   fill=(*OBANGSAEK[k % 3], 255))
    img = over(img, shadow_under(size, [(base_pt, 0.9 * s)], 0.4))
    img = over(img, volume(jar, 20, dark=0.5, rim=0.4), blur=0.8)

    # a student walking past close to the phone, out of focus
    passer = Image.new("RGBA", size, (0, 0, 0, 0))
    place(passer, person(cam.scale(3.1) * 1.66, walking(0.2, 1),
                         Look(skin=SKIN[5], top=(200, 196, 188), bottom=(44, 50, 70), trousers=1.0,
                              sleeves=1.0, hair=HAIR[1], ponytail=True)), cam.ground(-1.25, 3.1))
    img = over(img, passer, blur=9)

    img = tone(img, lift=6, tint=(1.02, 1.0, 0.98), contrast=0.14)
    img = vignette(img, 0.22)
    return grain(img, rng, 2)


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 40) -> list[Point]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        a, b, c, e = u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return out


def robot(rng: random.Random) -> Image.Image:
    """The club's line follower from above, cut out on transparency with a soft shadow (RGBA)."""
    side = 1400  # drawn square, turned, then cropped to the final size
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    cx, cy = side / 2, side / 2
    plate = [cx - 330, cy - 420, cx + 330, cy + 380]

    # wheels first (under the plate's edge), tyres with tread
    for sx in (-1, 1):
        x0 = cx + 300 if sx > 0 else cx - 420
        wheel = [x0, cy - 80, x0 + 120, cy + 260]
        d.rounded_rectangle(wheel, radius=30, fill=(30, 30, 32, 255))
        for k in range(22):
            y = wheel[1] + 10 + k * (wheel[3] - wheel[1] - 20) / 22
            d.line([(wheel[0] + 8, y), (wheel[2] - 8, y)], fill=(52, 52, 56, 255), width=5)
        d.rectangle([x0 + 40, cy + 40, x0 + 80, cy + 140], fill=(170, 172, 178, 255))
    # the chassis plate: anodised blue aluminium with mounting holes
    base = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(base).rounded_rectangle(plate, radius=90, fill=(255, 255, 255, 255))
    metal = gradient((side, side), [(0, (120, 150, 196)), (0.5, (70, 104, 160)),
                                    (1, (52, 80, 130))], vertical=False)
    brushed = noise((side, side), rng, 2.0).resize((side // 60, side), BICUBIC).resize(
        (side, side), BICUBIC).point(lambda v: 128 + (v - 128) * 35 // 100)
    metal = ImageChops.add(metal, Image.merge("RGB", (brushed,) * 3), 1.0, -128)
    metal.putalpha(base.getchannel("A"))
    layer.alpha_composite(metal)
    d = ImageDraw.Draw(layer)
    for hx in range(round(plate[0]) + 60, round(plate[2]) - 40, 90):
        for hy in (plate[1] + 50, plate[3] - 50):
            d.ellipse([hx - 11, hy - 11, hx + 11, hy + 11], fill=(20, 26, 40, 255))
    # sensor bar at the front with five reflectance sensors
    bar = [cx - 280, cy - 520, cx + 280, cy - 400]
    d.rounded_rectangle(bar, radius=16, fill=(20, 90, 60, 255))
    for k in range(5):
        sx = cx - 220 + k * 110
        d.rectangle([sx - 26, bar[1] + 24, sx + 26, bar[1] + 80], fill=(24, 24, 26, 255))
        d.ellipse([sx - 12, bar[1] + 36, sx + 12, bar[1] + 60], fill=(230, 50, 40, 255))
    for k in range(6):
        d.rectangle([cx - 150 + k * 60, bar[3] - 10, cx - 130 + k * 60, bar[3] + 30],
                    fill=(200, 170, 60, 255))
    # the controller board
    board = [cx - 220, cy - 330, cx + 220, cy + 10]
    d.rounded_rectangle(board, radius=14, fill=(24, 110, 70, 255))
    for _ in range(40):  # traces
        x, y = rng.uniform(board[0] + 20, board[2] - 20), rng.uniform(board[1] + 20, board[3] - 20)
        x2 = x + rng.choice((-1, 1)) * rng.uniform(20, 120)
        d.line([(x, y), (x2, y), (x2, y + rng.uniform(-60, 60))], fill=(60, 150, 96, 255), width=4)
    d.rectangle([cx - 90, cy - 220, cx + 90, cy - 120], fill=(28, 28, 30, 255))  # the chip
    for k in range(8):
        for sy in (cy - 228, cy - 120):
            d.rectangle([cx - 80 + k * 22, sy, cx - 70 + k * 22, sy + 8], fill=(200, 200, 200, 255))
    d.text((cx, cy - 170), "FALCON-1", fill=(200, 200, 204, 255), font=font(26), anchor="mm")
    for k in range(14):  # pin headers along the edges
        for y in (board[1] + 24, board[3] - 24):
            px = board[0] + 40 + k * 26
            d.rectangle([px - 9, y - 9, px + 9, y + 9], fill=(16, 16, 18, 255))
            d.rectangle([px - 3, y - 3, px + 3, y + 3], fill=(214, 184, 90, 255))
    d.rectangle([board[2] - 110, board[1] + 60, board[2] - 30, board[1] + 130],
                fill=(180, 182, 188, 255))  # the USB socket
    d.ellipse([board[0] + 40, board[3] - 90, board[0] + 70, board[3] - 60], fill=(60, 230, 90, 255))
    # battery pack at the back, motors under the wheels' inner edge
    batt = [cx - 200, cy + 90, cx + 200, cy + 300]
    d.rounded_rectangle(batt, radius=20, fill=(36, 36, 40, 255))
    d.rectangle([cx - 150, cy + 150, cx + 150, cy + 240], fill=(232, 200, 60, 255))
    d.text((cx, cy + 195), "7.4 V  2200 mAh", fill=(30, 30, 30, 255), font=font(34), anchor="mm")
    for sx in (-1, 1):
        d.rounded_rectangle([cx + sx * 300 - 60, cy - 10, cx + sx * 300 + 60, cy + 200], radius=18,
                            fill=(200, 200, 206, 255))
    # wires, loosely routed
    for color, a, b in (((220, 40, 40), (cx - 120, cy + 90), (cx - 60, cy + 10)),
                        ((30, 30, 30), (cx - 80, cy + 90), (cx - 20, cy + 10)),
                        ((240, 200, 40), (cx + 220, cy + 40), (cx + 180, cy - 330)),
                        ((60, 120, 230), (cx - 240, cy + 40), (cx - 150, cy - 400))):
        c1 = (a[0] + rng.uniform(-140, 140), a[1] - 60)
        c2 = (b[0] + rng.uniform(-140, 140), b[1] + 60)
        d.line(_bezier(a, c1, c2, b), fill=(*color, 255), width=12, joint="curve")
    layer = volume(layer, 10, dark=0.45, rim=0.35)
    # a glint of light across the plate
    glint = soft_shadow((side, side), lambda g: g.polygon(
        [(cx - 300, cy - 430), (cx - 180, cy - 430), (cx + 120, cy + 390), (cx, cy + 390)],
        fill=255), 40, 0.18, (255, 255, 255))
    glint.putalpha(ImageChops.multiply(glint.getchannel("A"), layer.getchannel("A")))
    layer.alpha_composite(glint)

    turned = layer.rotate(-18, resample=BICUBIC, expand=False)
    shadow = turned.getchannel("A").filter(ImageFilter.GaussianBlur(34)).point(
        lambda v: v * 45 // 100)
    out = Image.new("RGBA", (side, side), (10, 14, 30, 0))
    out.putalpha(ImageChops.offset(shadow, 30, 46))
    out.alpha_composite(turned)
    crop = out.getchannel("A").point(lambda v: 255 if v > 2 else 0).getbbox() or (0, 0, side, side)
    pad = 20
    return out.crop((crop[0] - pad, crop[1] - pad, crop[2] + pad, crop[3] + pad))


PROFILE = [(0.0, -0.62), (0.32, -0.5), (0.42, -0.3), (0.46, -0.12), (0.43, -0.05), (0.47, 0.0),
           (0.585, 0.14), (0.5, 0.2), (0.505, 0.26), (0.47, 0.3), (0.495, 0.34), (0.44, 0.41),
           (0.47, 0.49), (0.37, 0.56), (0.14, 0.5), (0.17, 0.66), (0.2, 0.92), (0.4, 1.15),
           (0.62, 1.4), (0.7, 2.2), (-0.95, 2.2), (-0.85, 1.3), (-0.5, 1.05), (-0.22, 0.8),
           (-0.26, 0.45), (-0.46, 0.12), (-0.46, -0.24), (-0.3, -0.53)]


def portrait(rng: random.Random) -> Image.Image:
    """A staff portrait as a profile silhouette against the newsroom window, rim-lit."""
    size = (1600, 1600)
    w, h = size
    img = gradient(size, [(0, (70, 78, 100)), (0.55, (196, 160, 130)), (1, (252, 226, 186))],
                   vertical=False)
    img = ImageChops.multiply(img, gradient(size, [(0, (230, 230, 236)), (1, (150, 140, 140))]))
    # out-of-focus newsroom: shelves, a window frame, lights as bokeh
    soft = Image.new("RGBA", size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(soft)
    for y in (420, 700, 980):
        sd.rectangle([0, y, 520, y + 26], fill=(60, 50, 46, 200))
        x = 10
        while x < 500:
            bw = rng.randint(16, 34)
            sd.rectangle([x, y - rng.randint(120, 200), x + bw, y],
                         fill=(*jitter(rng, (120, 96, 80), 40), 160))
            x += bw + 2
    sd.rectangle([1180, 0, 1220, h], fill=(90, 80, 76, 180))
    sd.rectangle([1180, 760, w, 800], fill=(90, 80, 76, 180))
    img = over(img, soft, blur=22)
    bokeh = Image.new("RGBA", size, (0, 0, 0, 0))
    bd = ImageDraw.Draw(bokeh)
    for _ in range(34):
        r = rng.uniform(30, 110)
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.7)
        color = rng.choice([(255, 236, 190), (255, 210, 150), (220, 230, 255), (255, 250, 240)])
        bd.ellipse([x - r, y - r, x + r, y + r], fill=(*color, rng.randint(40, 110)))
    img = over(img, bokeh, blur=6)

    # the silhouette, facing the window on the right
    head = 620.0
    ox, oy = 690.0, 610.0
    mask = Image.new("L", size, 0)
    md = ImageDraw.Draw(mask)
    md.polygon([(ox + x * head, oy + y * head) for x, y in _catmull(PROFILE)], fill=255)
    hair = Image.new("L", size, 0)
    hd = ImageDraw.Draw(hair)
    hd.polygon([(ox + x * head, oy + y * head) for x, y in _catmull(
        [(0.36, -0.47), (0.12, -0.58), (-0.2, -0.6), (-0.42, -0.4), (-0.5, -0.1), (-0.56, 0.3),
         (-0.62, 0.75), (-0.7, 1.05), (-0.45, 1.1), (-0.3, 0.82), (-0.16, 0.5), (-0.02, 0.2),
         (0.1, -0.18), (0.3, -0.32)])], fill=255)
    mask = ImageChops.lighter(mask, hair)
    dark = gradient(size, [(0, (34, 28, 30)), (1, (52, 40, 36))], vertical=False)
    body = Image.new("RGBA", size, (0, 0, 0, 0))
    body.paste(dark, (0, 0), mask)
    shirt = Image.new("L", size, 0)
    ImageDraw.Draw(shirt).polygon([(ox + x * head, oy + y * head) for x, y in
                                   [(0.25, 1.02), (0.7, 1.45), (0.75, 2.3), (-1.0, 2.3),
                                    (-0.88, 1.28), (-0.5, 1.02), (-0.2, 0.9)]], fill=255)
    shirt = ImageChops.multiply(shirt, mask)
    body.paste((48, 56, 84, 255), (0, 0), shirt)
    body.paste((46, 34, 30, 255), (0, 0), hair)
    # rim light on the edges that face the window, a softer glow inside them
    alpha = body.getchannel("A")
    edge = ImageChops.subtract(alpha, ImageChops.offset(alpha, -12, 5)).filter(
        ImageFilter.GaussianBlur(4)).point(lambda v: v * 8 // 10)
    glow = ImageChops.subtract(alpha, ImageChops.offset(alpha, -60, 16)).filter(
        ImageFilter.GaussianBlur(30)).point(lambda v: v * 4 // 10)
    rim = ImageChops.lighter(edge, glow)
    lit = Image.composite(Image.new("RGBA", size, (255, 214, 170, 255)), body, rim)
    lit.putalpha(alpha)
    sheen = Image.new("L", size, 0)
    st = ImageDraw.Draw(sheen)
    for _ in range(70):  # the hair's sheen: strands flowing from the crown down the back
        x0 = ox + rng.uniform(-0.3, 0.3) * head
        y0 = oy + rng.uniform(-0.62, -0.45) * head
        x3 = ox + rng.uniform(-0.72, -0.35) * head
        y3 = oy + rng.uniform(0.4, 1.05) * head
        st.line(_bezier((x0, y0), (x0 - 0.25 * head, y0 + rng.uniform(-0.05, 0.05) * head),
                        (x3 + rng.uniform(-0.1, 0.1) * head, y3 - 0.5 * head), (x3, y3), 30),
                fill=rng.randint(30, 90), width=rng.randint(2, 5))
    sheen = ImageChops.multiply(sheen.filter(ImageFilter.GaussianBlur(1.5)), hair)
    lit = Image.composite(Image.new("RGBA", size, (120, 92, 74, 255)), lit, sheen)
    lit.putalpha(alpha)
    img = over(img, lit, blur=1.2)

    img = bloom(img, 220, 60, 0.5)
    img = tone(img, lift=12, tint=(1.04, 1.0, 0.94), contrast=0.1)
    img = vignette(img, 0.35)
    return grain(img, rng, 3)


def _catmull(points: Sequence[tuple[float, float]], steps: int = 6) -> list[tuple[float, float]]:
    """A closed smooth outline through the points."""
    out = []
    n = len(points)
    for i in range(n):
        p0, p1, p2, p3 = points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n]
        for k in range(steps):
            t = k / steps
            out.append(tuple(0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t
                                    + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t * t
                                    + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t ** 3)
                             for j in range(2)))
    return out  # type: ignore[return-value]


# --- metadata and files ------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    make: str
    model: str
    lens: str
    focal: tuple[int, int]  # mm as a fraction
    focal_35mm: int
    f_number: tuple[int, int]
    exposure: tuple[int, int]  # seconds as a fraction
    iso: int
    software: str


PHONE = Device("Example Phone", "Example Phone 12", "Example Phone 12 back camera 4.25mm f/1.8",
               (425, 100), 26, (18, 10), (1, 640), 50, "ExampleOS 17.4")
CAMERA = Device("Example Camera Co.", "EX-7 Mark II", "EX 70-200mm F2.8", (2000, 10), 200,
                (28, 10), (1, 1600), 400, "EX-7 Firmware 1.2")
STUDIO = Device("Example Camera Co.", "EX-7 Mark II", "EX 50mm F1.8", (500, 10), 50,
                (20, 10), (1, 200), 800, "EX-7 Firmware 1.2")

# Invented spots in Seoul: the school, the cross-country park, the regional track.
SCHOOL = (37.54781, 126.93702, 38.0)
XC_PARK = (37.56893, 126.88431, 21.0)
STADIUM = (37.53416, 127.00213, 30.0)


@dataclass(frozen=True)
class Shot:
    path: str  # under content/
    draw: Callable[[random.Random], Image.Image]
    seed: int
    article: str  # the Markdown file it belongs to, under content/
    use: str  # how the article uses it: front matter key or "gallery"
    alt: str
    caption: str
    credit: str
    device: Device | None = None
    taken: str = ""  # local time in Seoul, "YYYY-MM-DD HH:MM:SS"
    where: tuple[float, float, float] | None = None  # latitude, longitude, altitude (m)
    orientation: int = 1  # 6: pixels stored turned a quarter anticlockwise, as phones do
    xmp: bool = False
    quality: int = 85


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def exif_for(shot: Shot, size: Size) -> Image.Exif:
    """EXIF as a camera writes it: device, times (with the UTC offset), exposure, GPS."""
    from PIL.ExifTags import GPS, IFD, Base

    exif = Image.Exif()
    device = shot.device
    assert device is not None
    stamp = shot.taken.replace("-", ":")
    exif[Base.Make] = device.make
    exif[Base.Model] = device.model
    exif[Base.Software] = device.software
    exif[Base.Orientation] = shot.orientation
    exif[Base.DateTime] = stamp
    exif[Base.XResolution] = IFDRational(72, 1)
    exif[Base.YResolution] = IFDRational(72, 1)
    exif[Base.ResolutionUnit] = 2
    if device is not PHONE:  # a newsroom camera carries its photographer's name
        if shot.credit.startswith("Photo: "):
            exif[Base.Artist] = shot.credit.removeprefix("Photo: ").split(" / ")[0]
        exif[Base.Copyright] = "The Example Gazette"
    sub = exif.get_ifd(IFD.Exif)
    sub[Base.ExifVersion] = b"0232"
    sub[Base.DateTimeOriginal] = stamp
    sub[Base.DateTimeDigitized] = stamp
    sub[Base.OffsetTime] = "+09:00"
    sub[Base.OffsetTimeOriginal] = "+09:00"
    sub[Base.SubsecTimeOriginal] = "412"
    sub[Base.ExposureTime] = IFDRational(*device.exposure)
    sub[Base.FNumber] = IFDRational(*device.f_number)
    sub[Base.ISOSpeedRatings] = device.iso
    sub[Base.FocalLength] = IFDRational(*device.focal)
    sub[Base.FocalLengthIn35mmFilm] = device.focal_35mm
    sub[Base.LensMake] = device.make
    sub[Base.LensModel] = device.lens
    sub[Base.ColorSpace] = 1
    sub[Base.ExifImageWidth], sub[Base.ExifImageHeight] = size
    if shot.where:
        lat, lon, alt = shot.where
        hour, minute, second = (int(v) for v in shot.taken[11:].split(":"))
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSVersionID] = b"\x02\x02\x00\x00"
        gps[GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[GPS.GPSLatitude] = _dms(lat)
        gps[GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[GPS.GPSLongitude] = _dms(lon)
        gps[GPS.GPSAltitudeRef] = b"\x00"
        gps[GPS.GPSAltitude] = IFDRational(round(alt * 10), 10)
        gps[GPS.GPSTimeStamp] = (IFDRational((hour - 9) % 24, 1), IFDRational(minute, 1),
                                 IFDRational(second, 1))  # UTC
        gps[GPS.GPSDateStamp] = shot.taken[:10].replace("-", ":")
        gps[GPS.GPSHPositioningError] = IFDRational(47, 10)
    return exif


def xmp_for(shot: Shot) -> bytes:
    """A small XMP packet like a phone's: tool, dates, orientation, place, a description."""
    device = shot.device
    assert device is not None
    when = shot.taken.replace(" ", "T") + "+09:00"
    place = ""
    if shot.where:
        lat, lon, _ = shot.where
        place = (f'\n    exif:GPSLatitude="{int(lat)},{(lat % 1) * 60:.4f}N"'
                 f'\n    exif:GPSLongitude="{int(lon)},{(lon % 1) * 60:.4f}E"')
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="sitegen example_photos">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmp:CreatorTool="{device.software}"
    xmp:CreateDate="{when}"
    xmp:ModifyDate="{when}"
    photoshop:DateCreated="{when}"
    tiff:Make="{device.make}"
    tiff:Model="{device.model}"
    tiff:Orientation="{shot.orientation}"{place}>
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">{escape(shot.caption or shot.alt)}</rdf:li>
    </rdf:Alt>
   </dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def save(shot: Shot, image: Image.Image, path: Path) -> None:
    """Write the picture as the device would have: stored orientation, metadata, format."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        image.save(path, format="PNG", optimize=True)
        return
    stored = image
    if shot.orientation == 6:  # the sensor's landscape frame; EXIF says turn it clockwise
        stored = image.transpose(Image.Transpose.ROTATE_90)
    exif = exif_for(shot, stored.size).tobytes() if shot.device else b""
    if suffix == ".heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        stored.save(path, format="HEIF", quality=shot.quality, exif=exif)
        return
    extra = {"xmp": xmp_for(shot)} if shot.xmp else {}
    stored.save(path, format="JPEG", quality=shot.quality, subsampling="4:2:0", exif=exif,
                **extra)


SHOTS = [
    Shot("features/IMG_2047.jpg", chuseok, 2047, "features/추석맞이-전통-놀이-한마당.md", "image",
         alt="Students crowd around a table in the school courtyard as one throws four wooden yut "
             "sticks into the air, under strings of five-colour pennants; some wear hanbok.",
         caption="Yut sticks fly at the Korean Culture Club’s Chuseok games in the courtyard on "
                 "Wednesday, while a student practises jegichagi on the right.",
         credit="Photo: Nabin Won / The Example Gazette",
         device=PHONE, taken="2024-09-18 12:24:31", where=SCHOOL, orientation=6, xmp=True),
    Shot("sports/IMG_2311.heic", cross_country, 2311, "sports/cross-country-season-recap.md",
         "image",
         alt="Runners follow a muddy, flag-lined course past a row of orange and red autumn "
             "trees, with spectators and a navy team tent behind them.",
         caption="Runners come off the wooded loop at the regional championships on Saturday.",
         credit="Photo: Daniel Okafor / The Example Gazette",
         device=PHONE, taken="2024-11-02 10:41:07", where=XC_PARK, quality=50),
    Shot("science/line-follower-robot.png", robot, 101, "science/robotics-line-follower.md",
         "image",
         alt="Top view of a small two-wheeled robot: a blue metal plate carrying a green circuit "
             "board, a battery pack and a bar of five light sensors at the front.",
         caption="The robotics club’s line follower. The bar of light sensors at the front reads "
                 "the edge of the tape.",
         credit="Photo: Priya Nair / The Example Gazette"),
    Shot("sports/track-regionals-relay.jpg", track_relay, 400, "sports/track-regionals.md",
         "gallery",
         alt="A runner in a navy singlet leans across the finish line of a red track, runners in "
             "red, green and white close behind and the stands blurred beyond.",
         caption="The Falcons’ anchor leans at the line in the girls 4x400-meter relay, which "
                 "finished second in a school-record 3:58.41.",
         credit="Photo: Mina Park / The Example Gazette",
         device=CAMERA, taken="2025-05-28 17:52:40", where=STADIUM),
    Shot("sports/track-regionals-high-jump.jpg", track_high_jump, 605,
         "sports/track-regionals.md", "gallery",
         alt="A high jumper in a navy singlet arches backward over a red-and-white bar above a "
             "blue landing mat, against an evening sky.",
         caption="Marcus Bell clears 6 feet, 5 inches on his final attempt to win the boys high "
                 "jump.",
         credit="Photo: Mina Park / The Example Gazette",
         device=CAMERA, taken="2025-05-28 16:20:15", where=STADIUM),
    Shot("sports/track-regionals-1600m.jpg", track_1600, 1600, "sports/track-regionals.md",
         "gallery",
         alt="Eight runners in different team colours run in a tight pack along the inside lanes, "
             "seen from the stands; the third runner wears navy.",
         caption="Hana Sato, third from left, runs with the lead pack in the 1,600 meters. She "
                 "finished third to qualify for state.",
         credit="Photo: Mina Park / The Example Gazette",
         device=CAMERA, taken="2025-05-28 15:05:33", where=STADIUM),
    Shot("sports/girls-basketball-semifinal.jpg", basketball, 52,
         "sports/girls-basketball-semifinal.md", "image",
         alt="A player in a navy number 3 jersey dribbles into the lane past a defender in red "
             "with her arms raised, in front of packed stands.",
         caption="The Falcons’ press in the second half turned a nine-point deficit into a "
                 "52–48 win over Westfield on Friday.",
         credit="Photo: Daniel Okafor / The Example Gazette",
         device=CAMERA, taken="2025-02-14 20:37:12"),
    Shot("campus/library-reopens.jpg", library, 2024, "campus/library-renovation.md", "image",
         alt="The renovated library: bookshelves along both walls, tall tables with students, "
             "beanbags in a corner and four glass study rooms at the back.",
         caption="The renovated library, with its four bookable study rooms along the back "
                 "wall.",
         credit="Photo: Priya Nair / The Example Gazette",
         device=PHONE, taken="2024-10-07 10:15:02", where=SCHOOL),
    Shot("staff/mina-park.jpg", portrait, 12, "staff/mina-park.md", "photo",
         alt="Illustrated portrait of Mina Park in profile: a dark silhouette, rim-lit, against "
             "a warm, blurred newsroom window.",
         caption="", credit="Illustration: The Example Gazette",
         device=STUDIO, taken="2024-08-30 15:30:00"),
]


def render(shot: Shot, content: Path) -> Path:
    path = content / shot.path
    image = shot.draw(random.Random(shot.seed))
    save(shot, image, path)
    if shot.orientation != 1:  # it must come back upright only through its EXIF
        with Image.open(path) as stored:
            assert stored.size == image.size[::-1], "stored sideways"
            assert ImageOps.exif_transpose(stored).size == image.size, "EXIF turns it upright"
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content",
                        help="the content folder to write into (default: the example's)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only the shots whose file name contains one of these")
    parser.add_argument("--list", action="store_true", help="print the shot list, draw nothing")
    args = parser.parse_args()

    shots = [s for s in SHOTS if not args.only or any(n in s.path for n in args.only)]
    total = 0
    for shot in shots:
        if not args.list:
            path = render(shot, args.content)
            total += path.stat().st_size
            with Image.open(path) as im:
                print(f"{shot.path:42} {im.format:5} {im.size[0]}x{im.size[1]} "
                      f"{path.stat().st_size / 1e6:5.2f} MB")
    if not args.list:
        print(f"{'total':42} {total / 1e6:17.2f} MB\n")
    for article in dict.fromkeys(s.article for s in shots):
        print(f"content/{article}:")
        mine = [s for s in shots if s.article == article]
        for shot in (s for s in mine if s.use != "gallery"):
            name = Path(shot.path).name
            print(f"  {shot.use}: {name}")
            if shot.use == "image":
                print(f'  image_alt: "{shot.alt}"')
                print(f'  caption: "{shot.caption}"')
                print(f'  credit: "{shot.credit}"')
            else:
                print(f"  (suggested alt text: {shot.alt})")
        gallery = [s for s in mine if s.use == "gallery"]
        if gallery:  # consecutive lines in the body make a gallery; title = caption -- credit
            print("  gallery, in the body (one image per line, no blank lines between):")
            for shot in gallery:
                print(f'  ![{shot.alt}]({Path(shot.path).name} "{shot.caption} -- {shot.credit}")')
            lead = gallery[0]
            print(f"  (lead photo if wanted: image: {Path(lead.path).name}, same alt text)")
        print()


if __name__ == "__main__":
    main()
