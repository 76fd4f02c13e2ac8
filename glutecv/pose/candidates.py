"""Every body of every frame of a clip on disk, linked into tracks as the frames come.

Choosing the person over the whole clip (:mod:`glutecv.pose.tracking`) needs every body of
every frame until the end: ~2 KB a body, ~5-7 KB a frame with two people once kept as
per-frame objects, ~0.6 GB for an hour. :class:`CandidateBodies` writes each body as one row
of a :class:`~glutecv.pose.store.LandmarkStore` (a temporary file) and links it into tracks
at once (:class:`~glutecv.pose.tracklets.TrackLinker`), so memory holds only a few bytes a
frame plus the tracks' frame -> body maps. After the clip, the same tracks are stitched and
scored, and the chosen person's bodies are read back, exactly as from the lists in memory.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np

from glutecv.pose.refill import Box, body_box
from glutecv.pose.store import LandmarkStore, release
from glutecv.pose.tracking import Selection, choose_track, movement_score
from glutecv.pose.tracklets import LOST_AFTER, TrackLinker, stitch_tracks
from glutecv.pose.types import PoseFrame, PoseSequence

#: Bodies read from the file at a time when a track is scored.
READ_BLOCK = 1024


class CandidateBodies:
    """The bodies of each frame, appended with :meth:`add`, then :meth:`select`-ed."""

    def __init__(self, capacity: int = 4096, lost_after: int = LOST_AFTER) -> None:
        self._store: LandmarkStore | None = LandmarkStore(max(16, 2 * capacity))
        self._counts = array("H")  # bodies per frame
        self._times = array("d")  # frame times (s)
        self._linker = TrackLinker(lost_after)
        self._lost_after = lost_after
        self._rows: PoseSequence | None = None
        self._offsets = np.zeros(1, dtype=np.int64)

    def add(self, t_s: float, bodies: list[PoseFrame]) -> None:
        """Keep the next frame's bodies (time ``t_s`` s) and link them into the tracks."""
        assert self._store is not None, "add() after select()"
        for body in bodies:  # t_s of a row is its row number: the store wants rising times
            self._store.append(PoseFrame(float(len(self._store)), body.image, body.world,
                                         body.visibility, body.presence))
        self._counts.append(len(bodies))
        self._times.append(float(t_s))
        self._linker.add([b.image for b in bodies], [b.visibility for b in bodies])

    def __len__(self) -> int:
        return len(self._times)

    def time_at(self, i: int) -> float:
        return self._times[i]

    def select(self) -> tuple[ChosenBodies, Selection, OtherBoxes]:
        """The person who moves most (see :func:`glutecv.pose.tracking.select_person`): their
        body per frame, why, and the boxes of everyone else where they were missed."""
        assert self._store is not None, "select() twice"
        self._rows = self._store.to_sequence(0, 0, {})
        self._store.close()
        self._store = None
        self._offsets = np.concatenate([[0], np.cumsum(np.frombuffer(self._counts, np.uint16),
                                                       dtype=np.int64)])
        images, visibilities = _FieldView(self, "image"), _FieldView(self, "visibility")
        tracks = stitch_tracks(self._linker.tracks, images, visibilities, self._lost_after)
        self._linker = TrackLinker(self._lost_after)
        best, selection = choose_track(tracks, len(self), self._movement)
        del tracks
        chosen = ChosenBodies(self, best)
        release(self._rows)
        return chosen, selection, OtherBoxes(self, chosen.found_mask())

    def release(self) -> None:
        """Drop the pages of the file read so far from this process's memory (after
        :meth:`select`; reading a body again faults it back in)."""
        if self._rows is not None:
            release(self._rows)

    def row(self, i: int, c: int) -> int:
        return int(self._offsets[i]) + c

    def body(self, row: int, i: int) -> PoseFrame:
        """Row ``row`` of the file as the PoseFrame it was, in frame ``i``."""
        rows = self._rows
        assert rows is not None
        return PoseFrame(self._times[i], rows.image[row], rows.world[row],
                         rows.visibility[row], rows.presence[row], i)

    def count(self, i: int) -> int:
        return self._counts[i]

    def _movement(self, track: dict[int, int]) -> float:
        if len(track) < 3:
            return 0.0
        rows = np.fromiter((self._offsets[i] + c for i, c in track.items()), np.int64,
                           len(track))
        seq = self._rows
        assert seq is not None

        def blocks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            for lo in range(0, len(rows), READ_BLOCK):
                part = rows[lo: lo + READ_BLOCK]
                block = np.asarray(seq.image[part]), np.asarray(seq.visibility[part])
                release(seq)  # the pages just read are copied: drop them as we go
                yield block

        return movement_score(blocks())


class _FrameField:
    """One field (image or visibility) of the bodies of one frame, read on demand."""

    def __init__(self, bodies: CandidateBodies, name: str, i: int) -> None:
        self._bodies, self._name, self._i = bodies, name, i

    def __len__(self) -> int:
        return self._bodies.count(self._i)

    def __getitem__(self, c: int) -> np.ndarray:
        rows = self._bodies._rows
        assert rows is not None
        return getattr(rows, self._name)[self._bodies.row(self._i, c)]


class _FieldView:
    """``view[i][c]``: a field of body ``c`` of frame ``i`` (what stitching reads)."""

    def __init__(self, bodies: CandidateBodies, name: str) -> None:
        self._bodies, self._name = bodies, name

    def __len__(self) -> int:
        return len(self._bodies)

    def __getitem__(self, i: int) -> _FrameField:
        return _FrameField(self._bodies, self._name, i)


class ChosenBodies:
    """The followed person's body per frame (None where missed), read from the file when
    asked; frames set later (the second look) are kept in memory (they are few)."""

    def __init__(self, bodies: CandidateBodies, track: dict[int, int]) -> None:
        self._bodies = bodies
        self._rows = np.full(len(bodies), -1, dtype=np.int64)
        for i, c in track.items():
            self._rows[i] = bodies.row(i, c)
        self._set: dict[int, PoseFrame | None] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int) -> PoseFrame | None:
        if i < 0:
            i += len(self._rows)
        if not 0 <= i < len(self._rows):
            raise IndexError(i)
        if i in self._set:
            return self._set[i]
        row = int(self._rows[i])
        return self._bodies.body(row, i) if row >= 0 else None

    def __setitem__(self, i: int, pose: PoseFrame | None) -> None:
        self._set[i] = pose

    def __iter__(self) -> Iterator[PoseFrame | None]:
        return (self[i] for i in range(len(self)))

    def found_mask(self) -> np.ndarray:
        """Boolean (N,): the person is there (without reading any body)."""
        mask = self._rows >= 0
        for i, pose in self._set.items():
            mask[i] = pose is not None
        return mask


class OtherBoxes:
    """``get(i, default)``: the boxes of all bodies of frame ``i`` where the followed person
    was missed (``found[i]`` False), else ``default`` (read from the file when asked)."""

    def __init__(self, bodies: CandidateBodies, found: np.ndarray) -> None:
        self._bodies, self._found = bodies, found

    def get(self, i: int, default: list[Box]) -> list[Box]:
        if self._found[i] or not self._bodies.count(i):
            return default
        return [body_box(self._bodies.body(self._bodies.row(i, c), i))
                for c in range(self._bodies.count(i))]
