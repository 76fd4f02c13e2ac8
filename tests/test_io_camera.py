"""Live sources: newest frame first, drops counted, lost/finished states, no hangs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from io_helpers import write_video

from glutecv.errors import CameraError
from glutecv.io.camera import (
    CameraSource,
    FileFrameSource,
    RealtimeFileSource,
    open_live_source,
)


class FakeCapture:
    """A cv2.VideoCapture stand-in: 100 fps frames while ``on`` is set, failures otherwise."""

    def __init__(self, opened: bool = True) -> None:
        self.opened = opened
        self.on = threading.Event()
        self.on.set()
        self.count = 0

    def isOpened(self) -> bool:  # noqa: N802 - the OpenCV name
        return self.opened

    def get(self, prop: int) -> float:
        return 100.0

    def set(self, prop: int, value: float) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.01)
        if not self.on.is_set():
            return False, None
        self.count += 1
        return True, np.full((48, 64, 3), self.count % 256, np.uint8)

    def release(self) -> None:
        pass


def test_missing_camera_is_a_one_line_camera_error() -> None:
    started = time.monotonic()
    with pytest.raises(CameraError) as excinfo:
        open_live_source(57)
    assert "camera 57" in str(excinfo.value) and "\n" not in str(excinfo.value)
    assert time.monotonic() - started < 10


def test_camera_reports_lost_then_recovers_without_hanging() -> None:
    fake = FakeCapture()
    with CameraSource(0, capture_factory=lambda _: fake, lost_after_s=0.2,
                      reconnect_s=60) as cam:
        assert (cam.width, cam.height) == (64, 48)
        first = cam.read(0.5)
        assert first is not None and first.captured_at is not None
        fake.on.clear()  # the camera stops delivering
        time.sleep(0.1)
        cam.read(0.05)  # take whatever was still in flight
        started = time.monotonic()
        assert cam.read(timeout_s=0.3) is None  # returns after the timeout, no hang
        assert 0.25 < time.monotonic() - started < 1.0
        assert cam.lost and not cam.finished
        fake.on.set()  # ... and comes back
        again = cam.read(timeout_s=1.0)
        assert again is not None and again.t_s > first.t_s
        assert not cam.lost
    assert cam.finished


def test_camera_gives_the_newest_frame_and_counts_drops() -> None:
    fake = FakeCapture()
    with CameraSource(0, capture_factory=lambda _: fake) as cam:
        cam.read(0.5)
        time.sleep(0.3)  # a slow consumer: ~30 frames arrive meanwhile
        frame = cam.read(0.5)
        assert frame is not None
        assert cam.dropped >= 10
        assert abs(frame.index - (cam.captured - 1)) <= 1  # the newest one


def test_camera_that_never_opens_or_never_sends() -> None:
    with pytest.raises(CameraError, match="cannot be opened"):
        CameraSource(1, capture_factory=lambda _: FakeCapture(opened=False))
    silent = FakeCapture()
    silent.on.clear()
    with pytest.raises(CameraError, match="no frame"):
        CameraSource(2, capture_factory=lambda _: silent, open_timeout_s=0.3)

    def hanging_open(_: object) -> FakeCapture:
        time.sleep(5)
        return FakeCapture()

    started = time.monotonic()
    with pytest.raises(CameraError, match="did not open"):
        CameraSource("rtsp://10.255.255.1/stream", capture_factory=hanging_open,
                      open_timeout_s=0.3)
    assert time.monotonic() - started < 2


def test_realtime_file_keeps_pace_and_drops_for_a_slow_consumer(tmp_path: Path) -> None:
    path, written = write_video(tmp_path / "rt.mp4", n=30)  # 1 s at 30 fps
    started = time.monotonic()
    got = []
    with RealtimeFileSource(path) as src:
        assert (src.width, src.height) == (96, 64)
        while True:
            frame = src.read(timeout_s=0.5)
            if frame is None:
                if src.finished:
                    break
                continue
            got.append(frame.t_s)
            time.sleep(0.1)  # 10 fps consumer on a 30 fps source
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 2.5  # played in real time, not as fast as decoding allows
    assert 5 <= len(got) <= 15 and src.dropped >= 10
    assert np.all(np.diff(got) > 0) and set(got) <= set(written)


def test_file_source_without_realtime_delivers_every_frame(tmp_path: Path) -> None:
    path, written = write_video(tmp_path / "all.mp4", n=20)
    with open_live_source(str(path)) as src:
        assert isinstance(src, FileFrameSource)
        times = [f.t_s for f in src]
        assert src.finished and src.read(0.1) is None
    assert times == pytest.approx(written) and src.dropped == 0
