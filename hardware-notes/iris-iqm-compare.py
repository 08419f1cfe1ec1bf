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
