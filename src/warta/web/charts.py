"""Charts drawn on the server as inline SVG: no external service, no JavaScript, escaped labels."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from markupsafe import Markup, escape

from warta.web.views import DayCount

MAX_BARS = 90
MIN_DAYS = 14


def _parse(day: str) -> date | None:
    try:
        return date.fromisoformat(day[:10])
    except ValueError:
        return None


def bucket(counts: list[DayCount], max_bars: int = MAX_BARS) -> tuple[str, list[tuple[date, int]]]:
    """Counts per day, week or month (the finest that fits in ``max_bars``), gaps filled with zero."""
    days = Counter[date]()
    for c in counts:
        if (d := _parse(c.day)) is not None:
            days[d] += c.count
    if not days:
        return "day", []
    lo, hi = min(days), max(days)
    span = (hi - lo).days + 1
    if span < MIN_DAYS:  # a few days of data: show them inside two weeks, not as a few wide slabs
        pad = MIN_DAYS - span
        lo, hi = lo - timedelta(pad // 2), hi + timedelta(pad - pad // 2)
        span = MIN_DAYS
    if span <= max_bars:
        return "day", [(lo + timedelta(i), days.get(lo + timedelta(i), 0)) for i in range(span)]
    if span <= max_bars * 7:
        weeks = Counter[date]()
        for d, n in days.items():
            weeks[d - timedelta(d.weekday())] += n
        start = lo - timedelta(lo.weekday())
        out = []
        while start <= hi:
            out.append((start, weeks.get(start, 0)))
            start += timedelta(7)
        return "week", out
    months = Counter[date]()
    for d, n in days.items():
        months[d.replace(day=1)] += n
    out = []
    cur = lo.replace(day=1)
    while cur <= hi:
        out.append((cur, months.get(cur, 0)))
        cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
    out = out[-max_bars * 4 :]
    return "month", out


def bar_chart(counts: list[DayCount], *, label: str = "", width: int = 640, height: int = 120) -> Markup:
    """An SVG bar chart of counts over time; each bar has a tooltip with its period and count."""
    unit, bars = bucket(counts)
    if not bars:
        return Markup("")
    top = max(n for _, n in bars) or 1
    pad_l, pad_b, pad_t = 28, 18, 6
    inner_w, inner_h = width - pad_l - 4, height - pad_b - pad_t
    bw = inner_w / len(bars)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}">',
        f'<line x1="{pad_l}" y1="{pad_t + inner_h}" x2="{width - 4}" y2="{pad_t + inner_h}" class="axis"/>',
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" class="tick" text-anchor="end">{top}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + inner_h}" class="tick" text-anchor="end">0</text>',
    ]
    for i, (d, n) in enumerate(bars):
        h = inner_h * n / top
        x = pad_l + i * bw
        period = d.strftime("%Y-%m") if unit == "month" else d.isoformat()
        if unit == "week":
            period = f"{period} (+7)"
        parts.append(
            f'<rect x="{x + bw * 0.1:.1f}" y="{pad_t + inner_h - h:.1f}" width="{max(bw * 0.8, 1):.1f}" '
            f'height="{h:.1f}" class="bar"><title>{escape(period)}: {n}</title></rect>'
        )
    first = bars[0][0].isoformat() if unit != "month" else bars[0][0].strftime("%Y-%m")
    last = bars[-1][0].isoformat() if unit != "month" else bars[-1][0].strftime("%Y-%m")
    parts.append(f'<text x="{pad_l}" y="{height - 4}" class="tick">{escape(first)}</text>')
    if len(bars) > 1:
        parts.append(f'<text x="{width - 4}" y="{height - 4}" class="tick" text-anchor="end">{escape(last)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
