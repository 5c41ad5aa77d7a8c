#!/usr/bin/env bash
# Regenerates the theme's fonts from Debian's fonts-noto-core (SIL Open Font License 1.1):
# Noto Sans and Noto Sans Arabic, regular and bold, cut down to the scripts an exhibit uses
# and compressed as WOFF2, so that a kiosk with no fonts installed renders what the curator
# previewed. The results are committed; `make fonts` runs this when they must change.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/noto
# Debian's python3-fonttools and python3-brotli (`make fonts` installs them).
subset() { /usr/bin/python3 -m fontTools.subset "$@"; }
out=static/fonts
mkdir -p "$out"
# Latin: Basic, Latin-1, Extended-A, the Romanian commas, common accents, punctuation, euro.
latin="U+0000-017F,U+0218-021B,U+0300-0308,U+2010-2027,U+2030-203A,U+20AC,U+2122,U+2190-2195,U+2212"
# Arabic (browsers shape it with the font's own tables: no presentation forms needed),
# with the ASCII digits and punctuation it mixes in and the ornate parentheses.
arabic="U+0020-0040,U+0600-06FF,U+200C-200F,U+2010-2027,U+00A0,U+00AB,U+00BB,U+FD3E-FD3F"
for weight in Regular Bold; do
  subset "$src/NotoSans-$weight.ttf" --unicodes="$latin" --no-hinting --desubroutinize --flavor=woff2 \
    --output-file="$out/noto-sans-${weight,,}.woff2"
  subset "$src/NotoSansArabic-$weight.ttf" --unicodes="$arabic" --no-hinting --desubroutinize --flavor=woff2 \
    --output-file="$out/noto-sans-arabic-${weight,,}.woff2"
done
cp /usr/share/doc/fonts-noto-core/copyright "$out/LICENSE.txt"
ls -l "$out"
