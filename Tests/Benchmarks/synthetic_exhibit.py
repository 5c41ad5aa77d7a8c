#!/usr/bin/env python3
"""Writes a synthetic exhibit of N events in English and Arabic, for measuring how the
builder, the server and the interface scale (`make bench`, the weight tests).

    synthetic_exhibit.py N DIR [--years Y] [--seed S]

Events spread over Y years (default: N/40, at least 10) with day, month and year
precision, eras, themes, places and people; every tenth event is a highlight. The same
arguments always give the same files."""

import argparse
import os
import random

WORDS = ("river market bridge council school harvest archive railway festival treaty "
         "station library harbour garden workshop museum printing theatre clinic mill").split()
WORDS_AR = ("نهر سوق جسر مجلس مدرسة حصاد أرشيف سكة مهرجان معاهدة محطة مكتبة ميناء حديقة ورشة متحف "
            "طباعة مسرح عيادة مطحنة").split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder")
    parser.add_argument("--years", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    years = args.years or max(10, args.count // 40)
    first = 1900
    last = first + years - 1
    os.makedirs(os.path.join(args.folder, "events"), exist_ok=True)

    eras = []
    step = max(1, years // 8)
    for i, start in enumerate(range(first, last + 1, step)):
        end = min(last, start + step + (step // 2 if i % 2 else 0))
        eras.append((f"era-{i}", start, end))
    themes = [f"theme-{i}" for i in range(12)]
    places = [f"place-{i}" for i in range(40)]
    people = [f"person-{i}" for i in range(60)]

    with open(os.path.join(args.folder, "exhibit.yaml"), "w", encoding="utf-8") as f:
        f.write(f"# Synthetic exhibit: {args.count} events over {years} years.\n")
        f.write("id: synthetic\n")
        f.write(f'title: {{en: "Synthetic {args.count}", ar: "معرض تجريبي {args.count}"}}\n')
        f.write("languages: [en, ar]\n")
        f.write("sources:\n  - id: generated\n    title: {en: Generated, ar: مولّد}\n")
        f.write("eras:\n")
        colours = ["#8A3B12", "#2F5D7C", "#4B6B2A", "#6B3A7A", "#7A5A10", "#3A4A7A"]
        for i, (eid, start, end) in enumerate(eras):
            f.write(f"  - id: {eid}\n    title: {{en: Era {i}, ar: الحقبة {i}}}\n")
            f.write(f"    start: {start}\n    end: {end}\n    colour: \"{colours[i % len(colours)]}\"\n")
        f.write("themes:\n")
        for i, t in enumerate(themes):
            f.write(f"  - id: {t}\n    title: {{en: Theme {i}, ar: المحور {i}}}\n")
        f.write("places:\n")
        for i, p in enumerate(places):
            f.write(f"  - id: {p}\n    name: {{en: Place {i}, ar: المكان {i}}}\n")
            f.write(f"    latitude: {30 + rng.random() * 7:.3f}\n    longitude: {39 + rng.random() * 9:.3f}\n")
        f.write("people:\n")
        for i, p in enumerate(people):
            f.write(f"  - id: {p}\n    name: {{en: Person {i}, ar: الشخص {i}}}\n")
            f.write(f"    role: {{en: A role, ar: دور}}\n")

    for n in range(args.count):
        year = first + (n * years) // args.count
        kind = n % 5
        if kind < 3:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            date = f"{year}-{month:02d}-{day:02d}"
        elif kind == 3:
            date = f"{year}-{rng.randint(1, 12):02d}"
        else:
            date = f"{year}"
        era = [eid for eid, s, e in eras if s <= year <= e][:1]
        title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        title_ar = " ".join(rng.choice(WORDS_AR) for _ in range(4))
        eid = f"e{n:05d}"
        with open(os.path.join(args.folder, "events", eid + ".md"), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"id: {eid}\ntitle: \"{title} {n}\"\nsummary: \"Summary of event {n}: {title.lower()}.\"\n")
            f.write(f"date: {date}\n")
            if n % 10 == 0:
                f.write("highlight: true\n")
            f.write(f"eras: [{', '.join(era)}]\n")
            f.write(f"themes: [{rng.choice(themes)}]\nplaces: [{rng.choice(places)}]\n")
            f.write(f"people: [{rng.choice(people)}]\nsources: [generated]\n")
            f.write("---\n")
            f.write(f"Event {n} happened in {year}. " + " ".join(rng.choice(WORDS) for _ in range(40)) + ".\n")
        with open(os.path.join(args.folder, "events", eid + ".ar.md"), "w", encoding="utf-8") as f:
            f.write("---\n")
            f.write(f"title: \"{title_ar} {n}\"\nsummary: \"ملخص الحدث {n}.\"\n")
            f.write("---\n")
            f.write(f"وقع الحدث {n} في عام {year}. " + " ".join(rng.choice(WORDS_AR) for _ in range(40)) + ".\n")


if __name__ == "__main__":
    main()
