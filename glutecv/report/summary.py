"""The session summary (counts, faults, left/right symmetry) and the comparison of sessions."""

from __future__ import annotations

import math

from glutecv.report.format import clock, esc, fault_name, metric_label, nice_name, num
from glutecv.report.load import Session
from glutecv.report.stats import (
    duration_s,
    fault_counts,
    key_metrics,
    mean_metric,
    symmetry,
)
from glutecv.report.svg import bar_chart
from glutecv.results import CUES, AnalysisResult

#: Left/right difference (percent of the larger side) from which a metric is marked asymmetric.
ASYMMETRY_PCT = 15.0


def _card(label: str, value: str, cls: str = "") -> str:
    return (f'<div class="card {cls}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{value}</div></div>')


def summary_cards(result: AnalysisResult) -> str:
    """Reps (per side), good reps, flagged reps and clip length, as cards."""
    s = result.summary()
    total, good = s["rep_count"], s["good_reps"]
    by_side = s["reps_by_side"]
    sides = " · ".join(f"{k[0].upper()} {by_side[k]}" for k in ("left", "right") if k in by_side)
    reps = f"{total}" + (f" <small>{esc(sides)}</small>" if sides else "")
    pct = f" <small>{good / total:.0%}</small>" if total else ""
    flagged = total - good
    return ('<div class="cards">'
            + _card("Repetitions", reps)
            + _card("Good reps", f"{good}{pct}", "good" if total and good == total else "")
            + _card("Flagged reps", str(flagged), "bad" if flagged else "good")
            + _card("Clip length", esc(clock(duration_s(result))))
            + "</div>")


def fault_table(result: AnalysisResult) -> str:
    """How many reps carried each fault, with the cue a client would hear."""
    counts = fault_counts(result)
    if not counts:
        return '<p class="empty">No faults flagged.</p>' if result.reps else ""
    total = len(result.reps)
    rows = "".join(
        f'<tr><td><b>{esc(fault_name(code))}</b></td><td class="num">{n} of {total}</td>'
        f'<td>“{esc(CUES.get(code, ""))}”</td></tr>' for code, n in counts)
    return (f'<table class="fault-table"><thead><tr><th>Fault</th><th>Reps</th><th>Cue</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>")


def symmetry_table(result: AnalysisResult) -> str:
    """Left vs right means of each metric; a difference above ASYMMETRY_PCT is marked."""
    rows = []
    for c in symmetry(result):
        pct = c.difference_pct
        cls = "diff asym" if math.isfinite(pct) and pct > ASYMMETRY_PCT else "diff"
        text = num(c.difference) + (f" ({pct:.0f}%)" if math.isfinite(pct) else "")
        rows.append(f"<tr><td>{esc(metric_label(c.metric))}</td><td class='num'>{num(c.left)}"
                    f"</td><td class='num'>{num(c.right)}</td><td class='num {cls}'>"
                    f"{text}</td></tr>")
    if not rows:
        return ""
    return ('<table class="side-table"><thead><tr><th>Left / right (mean)</th><th>Left</th>'
            f'<th>Right</th><th>Difference</th></tr></thead><tbody>{"".join(rows)}</tbody>'
            f'</table><p class="hint">Differences above {ASYMMETRY_PCT:.0f}% of the larger '
            "side are shown in red.</p>")


def comparison(sessions: list[Session]) -> str:
    """Session-to-session comparison: a table and bar charts of good reps and key metrics."""
    metrics: list[str] = []
    for s in sessions:
        metrics.extend(m for m in key_metrics(s.result) if m not in metrics)
    # compare like with like: only metrics that at least half of the sessions have
    need = max(2, math.ceil(len(sessions) / 2))
    metrics = [m for m in metrics
               if sum(any(m in r.metrics for r in s.result.reps) for s in sessions) >= need][:4]
    head = ["Session", "Exercise", "Reps", "Good", *(metric_label(m) + " mean" for m in metrics),
            "Faults"]
    rows = []
    for i, s in enumerate(sessions, start=1):
        r = s.result
        summ = r.summary()
        total, good = summ["rep_count"], summ["good_reps"]
        faults = ", ".join(f"{fault_name(c)} ×{n}" for c, n in fault_counts(r)) or "none"
        cells = [f'<a href="#session-{i}">{i}. {esc(s.name)}</a>', esc(nice_name(r.exercise)),
                 str(total), f"{good / total:.0%}" if total else "–",
                 *(num(mean_metric(list(r.reps), m)) for m in metrics), esc(faults)]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    table = ('<div class="table-wrap"><table class="compare"><thead><tr>'
             + "".join(f"<th>{esc(h)}</th>" for h in head)
             + f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    charts = []
    good_bars = [(str(i), 100.0 * s.result.summary()["good_reps"] / len(s.result.reps)
                  if s.result.reps else math.nan, True, math.nan)
                 for i, s in enumerate(sessions, start=1)]
    neutral = ["#1f5fa8"] * len(sessions)
    charts.append(bar_chart(good_bars, title="Good reps (%) by session", unit="%",
                            colours=neutral))
    for m in metrics[:2]:
        bars = [(str(i), mean_metric(list(s.result.reps), m), True, math.nan)
                for i, s in enumerate(sessions, start=1)]
        charts.append(bar_chart(bars, title=f"{metric_label(m)}: mean by session", unit="",
                                colours=neutral))
    return table + '<div class="bars-row">' + "".join(c for c in charts if c) + "</div>"
