"""Executes one notebook headless with nbclient and exports it to HTML (nbconvert).

Usage (run by scripts/notebooks/run.ts, which installs the kernelspec into JUPYTER_PATH):
  /usr/bin/python3 execute.py NOTEBOOK.ipynb --kernel ticketlab --timeout 600 \
      --out-ipynb OUT.ipynb --out-html OUT.html [--cwd DIR]

Exit status: 0 when every cell ran without an error output; 1 when a cell produced an error
output (each one is printed: cell number, ename, evalue, first source line); 2 on a timeout,
a dead kernel or a bad argument. The executed notebook and its HTML are written either way.
"""
import argparse
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def error_outputs(nb):
    """Yields (cell number, cell, output) for every error output."""
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                yield index, cell, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--kernel", default="ticketlab")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=int, default=120, help="seconds for the kernel to start")
    parser.add_argument("--out-ipynb", required=True)
    parser.add_argument("--out-html", required=True)
    parser.add_argument("--cwd", default=None, help="kernel working directory (default: the notebook's folder)")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        # Keep going after an error so the report shows every failing cell; we fail below.
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": cwd}},
    )
    status = 0
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as e:
        print(f"execute.py: {args.notebook}: {type(e).__name__}: {e}", file=sys.stderr)
        status = 2

    for index, cell, output in error_outputs(nb):
        first = cell.source.splitlines()[0] if cell.source else ""
        print(f"execute.py: {args.notebook}: cell {index} ({first!r}) raised {output.get('ename')}: {output.get('evalue')}", file=sys.stderr)
        status = status or 1

    os.makedirs(os.path.dirname(os.path.abspath(args.out_ipynb)), exist_ok=True)
    nbformat.write(nb, args.out_ipynb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    os.makedirs(os.path.dirname(os.path.abspath(args.out_html)), exist_ok=True)
    with open(args.out_html, "w", encoding="utf-8") as f:
        f.write(body)
    print(f"execute.py: {args.notebook}: {'ok' if status == 0 else 'FAILED'}; wrote {args.out_ipynb} and {args.out_html}")
    return status


if __name__ == "__main__":
    sys.exit(main())
