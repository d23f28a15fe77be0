"""``python -m utvardering.exempeldata [UT] [KALLDATA]``: rebuild the shipped data folder."""

import argparse
import sys

from utvardering.exempeldata import build

if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m utvardering.exempeldata",
        description="Bygger om den medföljande datamappen ur källdata, med ett fast frö.",
    )
    parser.add_argument("ut", nargs="?", default="data", help="mappen att skriva (data)")
    parser.add_argument(
        "kalldata", nargs="?", default="kalldata", help="mappen med källfilerna (kalldata)"
    )
    args = parser.parse_args()
    for path in build(args.ut, args.kalldata):
        sys.stdout.write(f"skrev {path}\n")
