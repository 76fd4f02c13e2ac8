"""MediaPipe PoseLandmarker (Tasks API) as a context manager: one Frame in, one PoseFrame out.

:class:`PoseEstimator` runs the landmarker in VIDEO mode, which tracks the body between
frames (faster and steadier than detecting anew each frame) and needs strictly increasing
integer millisecond timestamps: they are derived from each frame's ``t_s`` and nudged by 1 ms
when two frames round to the same millisecond.

Output units (see :mod:`glutecv.pose.types`): image landmarks in pixels of the upright frame
(z on the scale of x), world landmarks in metres, visibility and presence in [0, 1]. A frame
where nobody is found gives :meth:`PoseFrame.missing` (NaN), never an exception.

MediaPipe, TFLite and absl write their own log lines straight to file descriptor 2. Unless
``GLUTECV_VERBOSE=1``, stderr is pointed at ``/dev/null`` while the graph is built and around
inference calls until the first person has been found (the native one-time warnings all come
out by then), and the usual environment switches are set before mediapipe is imported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.errors import ModelError
from glutecv.io.frames import Frame
from glutecv.landmarks import NUM_LANDMARKS
from glutecv.pose.tracking import PersonTracker, TrackerStats
from glutecv.pose.types import PoseFrame

log = logging.getLogger("glutecv.pose.estimator")

QUIET_ENV = {"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "3", "ABSL_MIN_LOG_LEVEL": "2"}


def verbose() -> bool:
    """True when the user asked for mediapipe's own messages (``--verbose``)."""
    return bool(os.environ.get("GLUTECV_VERBOSE"))


_silence_lock = threading.Lock()
_silence_depth = 0
_saved_fd: int | None = None


@contextlib.contextmanager
def native_stderr_silenced(active: bool = True) -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the block (native C++ log lines go nowhere).

    Python's own ``sys.stderr`` is flushed first so nothing written before is lost. Nested and
    concurrent uses (several threads) share one redirection: the first in saves the real
    stderr, the last out restores it.
    """
    global _silence_depth, _saved_fd
    if not active:
        yield
        return
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    with _silence_lock:
        if _silence_depth == 0:
            try:
                _saved_fd = os.dup(2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            except OSError:  # no stderr at all (daemonised): nothing to silence
                _saved_fd = None
        _silence_depth += 1
    try:
        yield
    finally:
        with _silence_lock:
            _silence_depth -= 1
            if _silence_depth == 0 and _saved_fd is not None:
                os.dup2(_saved_fd, 2)
                os.close(_saved_fd)
                _saved_fd = None


def _import_mediapipe() -> Any:
    if not verbose():
        for key, value in QUIET_ENV.items():
            os.environ.setdefault(key, value)
    with native_stderr_silenced(not verbose()):
        import mediapipe as mp
        from mediapipe.tasks.python import vision  # noqa: F401  (registers the vision tasks)
    return mp


class PoseEstimator:
    """Pose landmarks for each frame of one video (or live stream), in time order.

    ``model`` is a name (``lite``/``full``/``heavy``) or a ``.task`` path, resolved with
    :func:`glutecv.models.resolve_model`. ``num_poses > 1`` lets the model report several
    people; a :class:`PersonTracker` then follows one of them, and ``people`` says how many
    were seen. Use one estimator per clip: VIDEO mode carries state from frame to frame.
    ``running_mode`` is accepted for clarity and must be ``"video"``.
    """

    def __init__(self, model: str | Path = "full", num_poses: int = 1,
                 min_detection_confidence: float = 0.5, min_presence_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5, running_mode: str = "video") -> None:
        from glutecv.models import resolve_model

        if running_mode != "video":
            # VIDEO mode serves files and live sources alike here: the live source already hands
            # over only the newest frame, so LIVE_STREAM's own frame dropping adds nothing.
            raise ValueError(f"running_mode must be 'video', got {running_mode!r}")
        self.model_spec = str(model)
        self.model_path = resolve_model(model)
        self.num_poses = max(1, int(num_poses))
        self.tracker = PersonTracker()
        self._people = TrackerStats()
        self._last_ms = -1
        self._quiet_calls = not verbose()
        mp = _import_mediapipe()
        self._mp = mp
        vision = mp.tasks.vision
        options = vision.PoseLandmarkerOptions(
            base_options=mp.tasks.BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=self.num_poses,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with native_stderr_silenced(not verbose()):
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"{self.model_path}: the pose model cannot be loaded "
                             f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                             ) from None

    @property
    def model_name(self) -> str:
        """``lite``/``full``/``heavy`` for a built bundle, else the ``.task`` file name."""
        return self.model_spec if self.model_spec in ("lite", "full", "heavy") \
            else self.model_path.name

    @property
    def people(self) -> TrackerStats:
        """How many people the model saw (more than one only when ``num_poses > 1``)."""
        return self._people

    def timestamp_ms(self, t_s: float) -> int:
        """The strictly increasing integer millisecond timestamp VIDEO mode needs for ``t_s``."""
        ms = int(round(t_s * 1000.0))
        if ms <= self._last_ms:
            ms = self._last_ms + 1
        self._last_ms = ms
        return ms

    def estimate(self, frame: Frame) -> PoseFrame:
        """Landmarks of the (followed) person in ``frame``, or a missing frame.

        With several people in view the online :class:`PersonTracker` decides (largest body,
        then the same person by hip position); batch extraction instead looks at the whole
        clip (:func:`glutecv.pose.tracking.select_person`).
        """
        poses = self.detect_all(frame)
        if self.num_poses == 1:
            return poses[0] if poses else PoseFrame.missing(frame.t_s, frame.index)
        picked = self.tracker.choose([p.image for p in poses], [p.visibility for p in poses],
                                     frame.width, frame.height)
        return poses[picked] if picked is not None else PoseFrame.missing(frame.t_s, frame.index)

    def detect_all(self, frame: Frame) -> list[PoseFrame]:
        """Every person the model found in ``frame`` (at most ``num_poses``; maybe none)."""
        image = np.ascontiguousarray(frame.rgb())
        mp_image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=image)
        ts = self.timestamp_ms(frame.t_s)
        with native_stderr_silenced(self._quiet_calls):
            result = self._landmarker.detect_for_video(mp_image, ts)
        found = result.pose_landmarks or []
        self._people.observe(len(found))
        if not found:
            return []
        self._quiet_calls = False  # the native one-time warnings are out by now
        scale = np.array([frame.width, frame.height, frame.width], dtype=np.float64)
        poses = []
        for landmarks, world in zip(found, result.pose_world_landmarks, strict=True):
            arr = _landmark_array(landmarks)
            poses.append(PoseFrame(frame.t_s, arr[:, :3] * scale, _landmark_array(world)[:, :3],
                                   arr[:, 3], arr[:, 4], frame.index))
        return poses

    def close(self) -> None:
        """Release the MediaPipe graph (safe to call twice)."""
        landmarker, self._landmarker = getattr(self, "_landmarker", None), None
        if landmarker is not None:
            with native_stderr_silenced(not verbose()):
                landmarker.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _landmark_array(landmarks: Any) -> np.ndarray:
    """(33, 5) float64: x, y, z, visibility, presence of one MediaPipe landmark list."""
    arr = np.array([(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0)
                    for lm in landmarks], dtype=np.float64)
    if arr.shape != (NUM_LANDMARKS, 5):
        raise ModelError(f"the pose model returned {arr.shape[0]} landmarks, expected "
                         f"{NUM_LANDMARKS}; is it a PoseLandmarker model?")
    return arr


def extract_sequence(video_path: str | Path, model: str | Path = "full",
                     progress: Any = None, **options: Any) -> Any:
    """Every frame of a video as a PoseSequence; see :func:`glutecv.pose.extract.extract_sequence`.

    (Defined there to keep this module about the estimator; re-exported here for convenience.)
    """
    from glutecv.pose.extract import extract_sequence as _extract

    return _extract(video_path, model, progress, **options)
