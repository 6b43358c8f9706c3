"""Executes a small notebook with nbclient on the TicketLab kernel and prints it as JSON.

Usage: /usr/bin/python3 run_notebook.py <kernel_name> <cwd>  (JUPYTER_PATH must point at the kernelspec)
"""
import json
import sys

import nbformat
from nbclient import NotebookClient

KERNEL, CWD = sys.argv[1], sys.argv[2]
cells = [
    "import { InvalidArgumentError } from 'ticketlab';\nimport { plotly, sliderFigure } from 'ticketlab/kernel';\nnew InvalidArgumentError('x').name",
    "plotly(sliderFigure([{ label: 'task 1', data: [{ type: 'bar', y: [0.9] }] }, { label: 'task 2', data: [{ type: 'bar', y: [0.8, 0.92] }] }], { prefix: 'after ', controls: 'both' }))",
    "import { formatBackendReport } from 'ticketlab';\nconst wrong: number = formatBackendReport;",
]
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "TicketLab (TypeScript)", "language": "typescript"}
client = NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True, resources={"metadata": {"path": CWD}})
client.execute(env={**__import__("os").environ, "TICKETLAB_KERNEL_BACKEND": "skip"})
print(json.dumps(nb))
