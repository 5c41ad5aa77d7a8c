#!/usr/bin/env python3
"""Writes an exhibit of N camera-sized photographs (6000×4000 JPEG with EXIF: camera, GPS,
orientation) for the builder's benchmark: `photo_exhibit.py 100 build/bench-photos`.

The pictures are drawn here from seeded noise and gradients, so they compress like
photographs (several MB each) and are the same on every run. Needs Pillow and piexif.
"""
import os
import random
import sys

import piexif
from PIL import Image, ImageFilter

WIDTH, HEIGHT = 6000, 4000


def photo(seed: int) -> Image.Image:
    rng = random.Random(seed)
    # Large shapes: a small random picture blown up, softened.
    small = Image.new("RGB", (24, 16))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(24 * 16)])
    base = small.resize((WIDTH, HEIGHT), Image.BICUBIC).filter(ImageFilter.GaussianBlur(6))
    # Fine texture: sensor-like noise over the whole frame.
    noise = Image.effect_noise((WIDTH, HEIGHT), 40).convert("RGB")
    return Image.blend(base, noise, 0.18)


def exif(seed: int) -> bytes:
    return piexif.dump({
        "0th": {piexif.ImageIFD.Make: b"BenchCam", piexif.ImageIFD.Model: b"B-24",
                piexif.ImageIFD.Orientation: 6 if seed % 5 == 0 else 1},
        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: ((33, 1), (seed % 60, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: ((44, 1), (seed % 60, 1), (0, 1))},
    })


def main() -> None:
    count, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(os.path.join(folder, "events"), exist_ok=True)
    os.makedirs(os.path.join(folder, "media"), exist_ok=True)
    with open(os.path.join(folder, "exhibit.yaml"), "w") as f:
        f.write("id: bench-photos\ntitle: Photographs\nlanguages: [en]\n")
    for i in range(count):
        name = f"photo-{i:03d}"
        path = os.path.join(folder, "media", name + ".jpg")
        if not os.path.exists(path):
            photo(i).save(path, "JPEG", quality=92, exif=exif(i))
        with open(os.path.join(folder, "events", name + ".md"), "w") as f:
            f.write(f"---\ntitle: Photograph {i + 1}\nsummary: A camera photograph.\ndate: {2000 + i % 20}-0{1 + i % 9}\n"
                    f"media:\n  - file: media/{name}.jpg\n    alt: Photograph {i + 1}\n    credit: Bench camera\n---\n"
                    f"Photograph {i + 1}.\n")


if __name__ == "__main__":
    main()
