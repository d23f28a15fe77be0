"""``python -m utvardering.exempeldata [UT] [KALLDATA]``: rebuild the shipped data folder."""

import sys

from utvardering.exempeldata import build

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "data"
    source_dir = sys.argv[2] if len(sys.argv) > 2 else "kalldata"
    for path in build(out_dir, source_dir):
        sys.stdout.write(f"skrev {path}\n")
