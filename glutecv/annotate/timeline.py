"""A timeline strip for annotated videos: rep spans (good/faulty), fault marks, playhead.

The strip is rendered once in the constructor from the :class:`AnalysisResult`; each frame
only blends that prepared band into the image and draws the playhead line.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from glutecv.annotate.style import Style, thickness
from glutecv.results import AnalysisResult


def result_duration(result: AnalysisResult) -> float:
    """The clip length in seconds: ``video["duration_s"]``, else the last series time."""
    d = result.video.get("duration_s") if isinstance(result.video, dict) else None
    if isinstance(d, int | float) and math.isfinite(d) and d > 0:
        return float(d)
    t = [x for x in result.series.get("t_s", []) if x == x]
    ends = [r.end_s for r in result.reps if math.isfinite(r.end_s)]
    return max([*t[-1:], *ends, 0.0])


class TimelineAnnotator:
    """A band along the bottom edge of the frame: grey track, reps as green/red spans,
    a red tick above each faulty rep at its peak, and a white playhead at the frame time."""

    def __init__(self, width: int, height: int, result: AnalysisResult,
                 style: Style | None = None) -> None:
        self.style = style or Style()
        st = self.style
        s = st.scale(min(width, height))
        self.margin = int(round(st.margin_px * s))
        self.track_h = max(6, int(round(12 * s)))
        self.mark_h = max(4, int(round(9 * s)))
        self.band_h = self.mark_h + self.track_h + 2 * max(2, int(round(4 * s)))
        self.x0, self.x1 = self.margin, width - self.margin
        self.y0 = height - self.margin // 2 - self.band_h
        self.height_px = self.band_h + self.margin // 2  # space the strip takes at the bottom
        self.duration = result_duration(result)
        self.line = thickness(2.5 * s)
        self._band, self._mask = self._render(result)
        self._rows, self._cols = np.nonzero(self._mask)
        self._values = self._band[self._rows, self._cols]

    def _x(self, t: float) -> int:
        f = min(max(t / self.duration, 0.0), 1.0) if self.duration > 0 else 0.0
        return int(round(f * (self.x1 - self.x0 - 1)))

    def _render(self, result: AnalysisResult) -> tuple[np.ndarray, np.ndarray]:
        st = self.style
        w = self.x1 - self.x0
        band = np.zeros((self.band_h, w, 3), np.uint8)
        mask = np.zeros((self.band_h, w), np.uint8)  # 255 where the band is drawn
        pad = (self.band_h - self.mark_h - self.track_h) // 2
        ty0 = pad + self.mark_h
        ty1 = ty0 + self.track_h
        band[ty0:ty1] = (70, 70, 70)
        mask[ty0:ty1] = 255
        for rep in result.reps:
            if not (math.isfinite(rep.start_s) and math.isfinite(rep.end_s)):
                continue
            a, b = self._x(rep.start_s), max(self._x(rep.end_s), self._x(rep.start_s) + 1)
            band[ty0:ty1, a:b] = st.good if rep.good else st.bad
            band[ty0:ty1, a] = (20, 20, 20)  # separate neighbouring reps
            if not rep.good:
                t_mark = rep.peak_s if math.isfinite(rep.peak_s) else (rep.start_s + rep.end_s) / 2
                xm = self._x(t_mark)
                tri = np.array([[xm - self.mark_h // 2, pad], [xm + self.mark_h // 2, pad],
                                [xm, pad + self.mark_h - 1]], np.int32)
                cv2.fillConvexPoly(band, tri, st.bad, cv2.LINE_AA)
                cv2.fillConvexPoly(mask, tri, 255, cv2.LINE_AA)
        return band, mask

    def annotate(self, image: np.ndarray, t_s: float) -> np.ndarray:
        """Blend the strip into ``image`` in place, draw the playhead at ``t_s``, return it."""
        if self.duration <= 0 or self.x1 <= self.x0:
            return image
        roi = image[self.y0:self.y0 + self.band_h, self.x0:self.x1]
        if roi.shape[:2] != self._mask.shape:
            return image
        roi[self._rows, self._cols] = self._values
        if math.isfinite(t_s):
            x = self.x0 + self._x(t_s)
            top, bottom = (x, self.y0), (x, self.y0 + self.band_h - 1)
            cv2.line(image, top, bottom, (0, 0, 0), self.line + 2, cv2.LINE_AA)
            cv2.line(image, top, bottom, (255, 255, 255), self.line, cv2.LINE_AA)
        return image
