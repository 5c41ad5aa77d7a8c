#!/usr/bin/env python3
"""Makes the media of Tests/Fixtures/media (committed; run again only to change them).

Needs Pillow and piexif (pip) and ffmpeg (Debian). Everything is drawn or synthesised
here: test patterns, tones and generated noise, nothing taken from elsewhere.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install pillow piexif
    /tmp/v/bin/python Tests/Fixtures/make-media.py
"""
import io
import os
import subprocess
import sys

import piexif
from PIL import Image, ImageDraw

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "media", "media")


def save(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def camera_photo():
    """Stored 640×480 landscape, EXIF orientation 6 (turn 90° clockwise to view): upright it
    is 480×640 with the red half on the right. Carries GPS and a camera model, which no
    variant may keep."""
    image = Image.new("RGB", (640, 480), (30, 60, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 639, 239), fill=(220, 30, 30))
    draw.ellipse((280, 200, 360, 280), fill=(250, 250, 250))
    exif = {
        "0th": {piexif.ImageIFD.Orientation: 6, piexif.ImageIFD.Make: b"FixtureCam",
                piexif.ImageIFD.Model: b"Model GPS-1"},
        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: ((33, 1), (18, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: ((44, 1), (22, 1), (0, 1))},
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=piexif.dump(exif))
    save("camera-photo.jpg", out.getvalue())
    # The same file cut short: its header reads, its pixels do not.
    save("truncated.jpg", out.getvalue()[: len(out.getvalue()) // 3])


def transparent_png():
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((200, 0, 399, 299), fill=(20, 160, 60, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    save("transparent.png", out.getvalue())


def scan_tiff():
    image = Image.linear_gradient("L").resize((1000, 700)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "TIFF", compression="tiff_deflate")
    save("scan.tif", out.getvalue())


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def clips():
    # 2 s of test pattern with a tone, VP9 and Opus in WebM; its poster is the first frame.
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi",
           "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libvpx-vp9", "-b:v", "150k",
           "-c:a", "libopus", "-b:a", "32k", "-fflags", "+bitexact", os.path.join(HERE, "clip.webm"))
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-frames:v", "1", "-q:v", "4",
           os.path.join(HERE, "clip-poster.jpg"))
    # The same 2 s as H.264 in MP4, for the MP4 reader.
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "2", "-c:v", "libx264", "-preset",
           "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-fflags", "+bitexact",
           os.path.join(HERE, "clip.mp4"))
    # 3 s of speech-band noise as MP3 and as Opus.
    ffmpeg("-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=44100:amplitude=0.2", "-t", "3",
           "-c:a", "libmp3lame", "-b:a", "64k", "-fflags", "+bitexact", os.path.join(HERE, "interview.mp3"))
    ffmpeg("-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=48000:amplitude=0.2", "-t", "3",
           "-c:a", "libopus", "-b:a", "24k", "-fflags", "+bitexact", os.path.join(HERE, "interview.opus"))


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    camera_photo()
    transparent_png()
    scan_tiff()
    if "--images-only" not in sys.argv:
        clips()
