"""Charts as SVG drawn on the server (pygal): nothing for the browser to fetch."""
from __future__ import annotations

from datetime import datetime, timezone

import pygal
from markupsafe import Markup

from ..store.actions import Timeline


def results_chart(timeline: Timeline) -> Markup | None:
    """A broadcast's attempts by result over simulated time, stacked, as inline SVG
    (no script: pygal's interactive one would come from its site); None before the
    first attempt has ended."""
    if not timeline.instants:
        return None
    chart = pygal.StackedLine(
        fill=True, show_dots=False, js=[], disable_xml_declaration=True, width=800,
        height=300, explicit_size=False, x_labels_major_count=6, show_minor_x_labels=False,
        legend_at_bottom=True, truncate_label=-1,
        title="Attempts by result (simulated time, UTC)")
    chart.x_labels = [datetime.fromtimestamp(instant, timezone.utc).strftime("%H:%M:%S")
                      for instant in timeline.instants]
    for result, counts in timeline.results.items():
        chart.add(result, counts)
    return Markup(chart.render(is_unicode=True))
