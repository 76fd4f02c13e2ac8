"""One analysed folder (``OUTDIR/<stem>/``) as the report sees it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glutecv.errors import InputError
from glutecv.results import AnalysisResult

RESULT_FILE = "result.json"
VIDEO_FILES = (("annotated.mp4", "video/mp4"), ("annotated.webm", "video/webm"))


@dataclass(frozen=True)
class Session:
    """A folder's result and the annotated video(s) beside it (none when skipped)."""

    name: str
    folder: Path
    result: AnalysisResult
    videos: tuple[tuple[Path, str], ...]  # (path, MIME type), preferred first

    @property
    def video(self) -> Path | None:
        """The preferred annotated video, if there is one."""
        return self.videos[0][0] if self.videos else None


def load_session(folder: str | Path) -> Session:
    """Read ``folder/result.json``; an analysed folder without it is an InputError.

    ``folder`` may also be the ``result.json`` itself.
    """
    folder = Path(folder)
    if folder.is_file() and folder.name == RESULT_FILE:
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (give the output folder of "
                         "'glutecv analyze', e.g. out/<video name>)")
    result_path = folder / RESULT_FILE
    if not result_path.is_file():
        raise InputError(f"{folder}: no {RESULT_FILE} here; run 'glutecv analyze' first")
    result = AnalysisResult.load(result_path)
    videos = tuple((folder / name, mime) for name, mime in VIDEO_FILES
                   if (folder / name).is_file() and (folder / name).stat().st_size > 0)
    return Session(folder.resolve().name, folder, result, videos)
