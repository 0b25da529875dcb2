"""The statistics chart: registrations per week and by subsector, as PNG bytes."""

from __future__ import annotations

import io
from datetime import date

# Figure and the Agg canvas directly (no pyplot): no display, no global state, thread-safe.
# matplotlib is imported when a chart is drawn: every bot process would pay ~0.3 s for it.


def draw_chart(
    weekly: list[tuple[date, int]],
    by_subsector: dict[str, int],
    titles: dict[str, str],
    tickets: list[tuple[date, int, int]] | None = None,
) -> bytes:
    """Bar charts side by side; `titles` has keys weekly, subsector, count (and tickets,
    opened, closed when `tickets` gives (Monday, opened, closed) per week)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(16 if tickets else 11, 4.8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    if tickets:
        left, right, third = figure.subplots(1, 3, width_ratios=(3, 2, 3))
        _ticket_bars(third, tickets, titles)
    else:
        left, right = figure.subplots(1, 2, width_ratios=(3, 2))

    labels = [monday.strftime("%d/%m") for monday, _ in weekly]
    left.bar(labels, [count for _, count in weekly], color="#2f6db3")
    left.set_title(titles["weekly"])
    left.set_ylabel(titles["count"])
    left.tick_params(axis="x", labelrotation=45, labelsize=8)
    left.yaxis.get_major_locator().set_params(integer=True)
    _zero_based(left, [count for _, count in weekly])

    items = sorted(by_subsector.items(), key=lambda item: (item[1], item[0]))
    right.barh([name for name, _ in items] or ["-"], [n for _, n in items] or [0], color="#e08a1e")
    right.set_title(titles["subsector"])
    right.set_xlabel(titles["count"])
    right.xaxis.get_major_locator().set_params(integer=True)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _ticket_bars(axes, tickets: list[tuple[date, int, int]], titles: dict[str, str]) -> None:
    """Tickets opened and closed per week, side by side."""
    positions = range(len(tickets))
    axes.bar([p - 0.2 for p in positions], [o for _, o, _ in tickets], width=0.4,
             color="#3a9a5b", label=titles["opened"])  # fmt: skip
    axes.bar([p + 0.2 for p in positions], [c for _, _, c in tickets], width=0.4,
             color="#8a8a8a", label=titles["closed"])  # fmt: skip
    axes.set_xticks(list(positions), [m.strftime("%d/%m") for m, _, _ in tickets])
    axes.set_title(titles["tickets"])
    axes.set_ylabel(titles["count"])
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    _zero_based(axes, [n for _, o, c in tickets for n in (o, c)])
    axes.legend()


def _zero_based(axes, values: list[int]) -> None:
    """Counts start at 0; with nothing to count the axis shows 0 to 1 (not -0.04 to 0.04)."""
    if not any(values):
        axes.set_ylim(0, 1)
