"""The statistics chart: registrations per week and by subsector, as PNG bytes."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Figure and the Agg canvas directly (no pyplot): no display, no global state, thread-safe.


def draw_chart(
    weekly: list[tuple[date, int]],
    by_subsector: dict[str, int],
    titles: dict[str, str],
) -> bytes:
    """Two bar charts side by side; `titles` has keys weekly, subsector, count."""
    figure = Figure(figsize=(11, 4.8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, width_ratios=(3, 2))

    labels = [monday.strftime("%d/%m") for monday, _ in weekly]
    left.bar(labels, [count for _, count in weekly], color="#2f6db3")
    left.set_title(titles["weekly"])
    left.set_ylabel(titles["count"])
    left.tick_params(axis="x", labelrotation=45, labelsize=8)
    left.yaxis.get_major_locator().set_params(integer=True)

    items = sorted(by_subsector.items(), key=lambda item: (item[1], item[0]))
    right.barh([name for name, _ in items] or ["-"], [n for _, n in items] or [0], color="#e08a1e")
    right.set_title(titles["subsector"])
    right.set_xlabel(titles["count"])
    right.xaxis.get_major_locator().set_params(integer=True)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
