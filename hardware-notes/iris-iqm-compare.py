#!/usr/bin/env python3
"""Compare BioIris quality measures with the iris-iqm package (Python port of MITRE BIQT-Iris).

Usage:
  BIOIRIS_SAMPLE_DIR=/tmp/iris-samples swift test --filter SampleImageExportTests
  pip install iris-iqm
  python3 hardware-notes/iris-iqm-compare.py /tmp/iris-samples

Reads the exported PGM images, bioiris.csv (our measures) and truth.txt (generator truth),
runs iris_iqm.evaluate on each image and prints a Markdown table.
"""
import csv
import sys
from pathlib import Path

import iris_iqm

folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/iris-samples")
ours = {row["name"]: row for row in csv.DictReader(open(folder / "bioiris.csv"))}
truth = {}
for line in open(folder / "truth.txt"):
    parts = line.split()
    truth[parts[0]] = {"pupil_r": float(parts[4]), "iris_x": float(parts[6]), "iris_y": float(parts[7]), "iris_r": float(parts[8])}

def num(value, digits=1):
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return "–"

rows = []
for name in sorted(ours):
    result = iris_iqm.evaluate(str(folder / f"{name}.pgm"))
    f = result.features
    o = ours[name]
    t = truth[name]
    rows.append([
        name,
        f"{num(t['iris_r'])}",
        f"{num(o['iris_r'])} / {f.iris_diameter / 2:.1f}",
        f"{num(o['pupil_r'])} / {f.pupil_diameter / 2:.1f}",
        f"{num(o['usableIrisArea'])} / {result.usable_iris_area_percent:.1f}",
        f"{num(o['irisScleraContrast'])} / {result.iso_iris_sclera_contrast:.1f}",
        f"{num(o['irisPupilContrast'])} / {result.iso_iris_pupil_contrast:.1f}",
        f"{num(o['pupilBoundaryCircularity'])} / {result.iso_pupil_boundary_circularity:.1f}",
        f"{num(o['greyScaleUtilisation'], 2)} / {result.iso_greyscale_utilization:.2f}",
        f"{num(o['pupilIrisConcentricity'])} / {result.iso_iris_pupil_concentricity:.1f}",
        f"{num(o['marginAdequacy'])} / {result.iso_margin_adequacy:.1f}",
        f"{num(o['sharpness'], 2)} / {result.iso_sharpness:.2f}",
        f"{o['score']} / {result.iso_overall_quality}",
    ])
header = ["image", "truth R", "R ours/iqm", "r ours/iqm", "usable %", "iris–sclera", "iris–pupil", "circularity",
          "entropy", "concentricity", "margin", "sharpness", "overall"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for row in rows:
    print("| " + " | ".join(row) + " |")

# Explaining the two largest systematic differences: recompute BIQT's variants with our circles.
import cv2
import numpy as np

kernel = np.array([
    [0, 1, 1, 2, 2, 2, 1, 1, 0], [1, 2, 4, 5, 5, 5, 4, 2, 1], [1, 4, 5, 3, 0, 3, 5, 4, 1],
    [2, 5, 3, -12, -24, -12, 3, 5, 2], [2, 5, 0, -24, -40, -24, 0, 5, 2], [2, 5, 3, -12, -24, -12, 3, 5, 2],
    [1, 4, 5, 3, 0, 3, 5, 4, 1], [1, 2, 4, 5, 5, 5, 4, 2, 1], [0, 1, 1, 2, 2, 2, 1, 1, 0]], float)
print()
print("| image | sharpness per response (ours) | sharpness row sums (BIQT) | iris–pupil with I from 1.1–1.2 R (BIQT) | iris–sclera without masks |")
print("|---|---|---|---|---|")
for name in sorted(ours):
    o = ours[name]
    if not o["iris_r"]:
        continue
    image = cv2.imread(str(folder / f"{name}.pgm"), cv2.IMREAD_GRAYSCALE).astype(float)
    height, width = image.shape
    px, py, pr, ix, iy, ir = (float(o[k]) for k in ("pupil_x", "pupil_y", "pupil_r", "iris_x", "iris_y", "iris_r"))
    yy, xx = np.mgrid[0:height, 0:width]
    to_iris = np.hypot(xx - ix, yy - iy)
    to_pupil = np.hypot(xx - px, yy - py)
    p = np.median(image[to_pupil < 0.8 * pr])
    i = np.median(image[(to_iris >= (pr + ir) / 2) & (to_iris <= 0.9 * ir)])
    s = np.median(image[(to_iris >= 1.1 * ir) & (to_iris <= 1.2 * ir)])
    weber = (s - p) / (20 + p)
    response = cv2.filter2D(image, -1, kernel[::-1, ::-1], borderType=cv2.BORDER_CONSTANT)[4:height - 4:4, 4:width - 4:4]
    per_response = (response ** 2).sum() / (width * height)
    row_sums = (response.sum(axis=1) ** 2).sum() / (width * height)
    squash = lambda power: 100 * power * power / (power * power + 180000.0 ** 2)
    print(f"| {name} | {squash(per_response):.2f} | {squash(row_sums):.2f} | {100 * weber / (0.75 + weber):.1f} | {100 * (s - i) / (s + i - 2 * p):.1f} |")
