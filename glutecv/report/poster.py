"""A still frame of the annotated video, for the ``<video poster>`` and for printing.

With ``preload="metadata"`` a browser may show a black box until the video plays, and a
printed report has no video at all; a small JPEG of a telling moment (the first flagged rep's
peak, else the first rep's) fills both gaps. Failure to decode just means no poster.
"""

from __future__ import annotations

import base64
import logging
import math
from pathlib import Path

from glutecv.results import AnalysisResult

log = logging.getLogger("glutecv.report.poster")

POSTER_WIDTH = 640  # pixels; about 30-60 kB as JPEG
JPEG_QUALITY = 78


def poster_time(result: AnalysisResult) -> float:
    """The moment to show: the first flagged rep's peak, else the first rep's, else 1 s in."""
    reps = [r for r in result.reps if not r.good] or list(result.reps)
    for r in reps:
        if math.isfinite(r.peak_s):
            return r.peak_s
    return 1.0


def poster_data_uri(video: Path, t_s: float) -> str | None:
    """A ``data:image/jpeg;base64,...`` still of ``video`` at about ``t_s`` seconds."""
    try:
        import av
        import cv2

        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            if stream.time_base is not None and t_s > 0:
                container.seek(int(max(t_s - 0.5, 0) / stream.time_base), stream=stream,
                               backward=True)
            image = None
            for frame in container.decode(stream):
                image = frame.to_ndarray(format="bgr24")
                if frame.time is None or frame.time >= t_s:
                    break
        if image is None:
            return None
        h, w = image.shape[:2]
        if w > POSTER_WIDTH:
            image = cv2.resize(image, (POSTER_WIDTH, round(h * POSTER_WIDTH / w)),
                               interpolation=cv2.INTER_AREA)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            return None
        return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode("ascii")
    except Exception as exc:  # a poster is a nicety: never fail the report for it
        log.debug("%s: no poster frame (%s)", video, exc)
        return None
