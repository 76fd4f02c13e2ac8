"""The rep table: one row per rep, faults with their measured value against the threshold.

Rows carry ``data-start``/``data-video`` so a click seeks the session's video to the rep.
"""

from __future__ import annotations

from glutecv.report.format import (
    clock,
    esc,
    fault_detail,
    fault_name,
    metric_label,
    num,
    side_label,
    split_unit,
)
from glutecv.report.stats import metric_names, rep_numbers
from glutecv.results import AnalysisResult


def rep_table(result: AnalysisResult, video_id: str | None) -> str:
    """The HTML table of ``result.reps`` (a short note when there are none)."""
    if not result.reps:
        return '<p class="empty">No repetitions were counted in this clip.</p>'
    metrics = metric_names(result.reps)
    own_duration = "duration_s" not in metrics
    head = ["#", "Side", "Start", *(["Duration (s)"] if own_duration else []), "Verdict",
            *(metric_label(m) for m in metrics)]
    rows = []
    for n, rep in zip(rep_numbers(result.reps), result.reps, strict=True):
        cls = "rep good" if rep.good else "rep flagged"
        data = f' data-start="{rep.start_s:.4f}" data-end="{rep.end_s:.4f}"'
        if video_id:
            data += f' data-video="{esc(video_id)}" tabindex="0" title="Play this rep"'
        cells = [f'<td class="n">{n}</td>', f"<td>{esc(side_label(rep.side))}</td>",
                 f'<td class="t">{clock(rep.start_s)}</td>']
        if own_duration:
            cells.append(f'<td class="num">{num(rep.end_s - rep.start_s, 2)}</td>')
        if rep.good:
            verdict = '<span class="badge ok">✓ good</span>'
        else:
            items = "".join(
                f'<li class="fault" data-code="{esc(f.code)}"><b>{esc(fault_name(f.code))}</b> '
                f'<span class="measured">{esc(fault_detail(f))}</span>'
                + (f'<br><small>{esc(f.message)}</small>' if f.message else "") + "</li>"
                for f in rep.faults)
            verdict = f'<span class="badge bad">⚠ flagged</span><ul class="faults">{items}</ul>'
        cells.append(f'<td class="verdict">{verdict}</td>')
        for m in metrics:
            digits = 2 if split_unit(m)[1] in ("s", "") else 1
            cells.append(f'<td class="num">{num(rep.metrics.get(m), digits)}</td>')
        rows.append(f'<tr class="{cls}"{data}>{"".join(cells)}</tr>')
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    hint = ('<p class="hint">Click a row to play that rep.</p>' if video_id else "")
    return (f'{hint}<div class="table-wrap"><table class="reps"><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def short(x: float) -> str:
    """A threshold without trailing zeros: 30, 0.35, 12.5."""
    text = num(x, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def thresholds_list(result: AnalysisResult) -> str:
    """The thresholds the analysis used; nested settings (``counter.min_rom``, the rep
    counter's tuning) go in a collapsed block below the exercise's own thresholds."""
    if not result.thresholds:
        return ""

    def items(pairs: list[tuple[str, float]]) -> str:
        return "".join(f"<div><dt>{esc(metric_label(k))}</dt><dd>{short(v)}</dd></div>"
                       for k, v in pairs)

    main = [(k, v) for k, v in result.thresholds.items() if "." not in k]
    nested = [(k, v) for k, v in result.thresholds.items() if "." in k]
    out = f'<dl class="thresholds">{items(main)}</dl>' if main else ""
    if nested:
        out += (f'<details class="more"><summary>Rep counter settings ({len(nested)})'
                f'</summary><dl class="thresholds">{items(nested)}</dl></details>')
    return out
