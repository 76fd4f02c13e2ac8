"""Opening a video container with one-line errors, and decoding it past damage (PyAV).

Kept apart from :mod:`glutecv.io.video` so that the error mapping and the damage handling
can be read (and tested) on their own.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from glutecv.errors import VideoError

log = logging.getLogger("glutecv.io.video")

MAX_DEMUX_RESTARTS = 20  # demux errors tolerated in one file before giving up on the rest
END_TOLERANCE_FRAMES = 3  # a stream ending this many frames short of its duration is "early"


def open_container(path: Path) -> tuple[Any, Any]:
    """Open ``path`` and return ``(container, first video stream)``; VideoError otherwise."""
    import av

    if not path.exists():
        raise VideoError(f"{path}: no such file")
    if path.is_dir():
        raise VideoError(f"{path}: is a folder, not a video file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise VideoError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size == 0:
        raise VideoError(f"{path}: empty file (0 bytes)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except PermissionError:
        raise VideoError(f"{path}: cannot read (permission denied)") from None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise VideoError(f"{path}: {_open_failure(exc, path)}") from None
    videos = [s for s in container.streams.video if not _is_cover_art(s)]
    if not videos:
        kinds = "audio only" if container.streams.audio else "no streams that can be read"
        container.close()
        raise VideoError(f"{path}: has no video stream ({kinds})")
    stream = videos[0]
    if stream.codec_context is None or not stream.codec_context.name:
        container.close()
        raise VideoError(f"{path}: its video codec is not supported")
    return container, stream


def _is_cover_art(stream: Any) -> bool:
    """An audio file's embedded picture shows up as a one-frame "video" stream."""
    try:
        return bool(int(stream.disposition) & 0x400)  # AV_DISPOSITION_ATTACHED_PIC
    except (TypeError, ValueError, AttributeError):
        return False


def _open_failure(exc: BaseException, path: Path) -> str:
    text = str(getattr(exc, "strerror", None) or exc)
    if _looks_like_video(path):
        return "truncated or damaged video (cannot read its index)"
    if "Invalid data" in text:
        return "not a video file (no known video format found in it)"
    return f"cannot be opened as a video ({text})"


# Leading bytes of common video containers: ISO-BMFF (MP4/MOV) carries "ftyp" at offset 4.
_MAGIC = ((4, b"ftyp"), (0, b"RIFF"), (0, b"\x1a\x45\xdf\xa3"), (0, b"GIF8"), (0, b"OggS"))


def _looks_like_video(path: Path) -> bool:
    """True when the file starts like a video container (so a failure means damage)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return any(head[off:off + len(magic)] == magic for off, magic in _MAGIC)


def decode_frames(container: Any, stream: Any,
                  gaps: list[tuple[float, float]]) -> Iterator[Any]:
    """Yield the decodable ``av.VideoFrame`` objects of ``stream`` in presentation order.

    A packet that fails to decode, or a frame the decoder marks corrupt, is skipped; each run
    of skipped material is appended to ``gaps`` as ``(last good time, next good time)`` in
    seconds. A container error (damaged index, cut-off file) restarts demuxing from where it
    stopped; a stream that ends before its stated duration adds ``(last time, inf)``.
    """
    import av

    ffmpeg_error = av.error.FFmpegError  # bound now: module globals vanish at interpreter exit
    tb = stream.time_base
    last_t = 0.0
    in_gap = False
    restarts = 0
    finished = False
    while not finished:
        try:
            for packet in container.demux(stream):
                try:
                    decoded = packet.decode()
                except (ffmpeg_error, ValueError):
                    in_gap = True
                    continue
                for frame in decoded:
                    if getattr(frame, "is_corrupt", False):
                        in_gap = True
                        continue
                    t = float(frame.pts * tb) if frame.pts is not None else last_t
                    if in_gap:
                        gaps.append((last_t, t))
                        in_gap = False
                    last_t = t
                    yield frame
            finished = True
        except (ffmpeg_error, OSError) as exc:
            restarts += 1
            log.debug("demux error in %s: %s", container.name, exc)
            in_gap = True
            if restarts > MAX_DEMUX_RESTARTS:
                finished = True
    expected_end = _stream_end_s(stream)
    frame_s = 1.0 / float(stream.average_rate) if stream.average_rate else 0.04
    if in_gap or (math.isfinite(expected_end)
                  and last_t + (END_TOLERANCE_FRAMES + 1) * frame_s < expected_end):
        gaps.append((last_t, math.inf))


def _stream_end_s(stream: Any) -> float:
    if not stream.duration:
        return math.nan
    start = stream.start_time or 0
    return float((start + stream.duration) * stream.time_base)
