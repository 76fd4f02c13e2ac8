"""Link the bodies found in each frame into tracks (one per person) and score how much each moves.

Identity between frames is decided on the **whole body**, not one point: two bodies are
compared by the mean distance of their main joints (shoulders, elbows, wrists, hips, knees,
ankles), in units of the body's own size (torso length). Two people standing side by side are
about a body size apart in this measure, while one person moves a small fraction of it from one
frame to the next, even when squatting fast. Per frame the bodies are assigned to the live
tracks with the least total cost (Hungarian method), and a body farther than
:data:`LINK_GATE` from every track starts a new one, so a track can never jump to a neighbour
when its own person is missed for a frame or two.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from glutecv.landmarks import Landmark

#: Joints compared between two bodies (hands, feet and face detail left out: noisy and small).
BODY_JOINTS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_ELBOW,
               Landmark.RIGHT_ELBOW, Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST,
               Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE,
               Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]
#: Joints below this visibility in either body are left out of the comparison (if enough remain).
COMPARE_VISIBILITY = 0.5
#: Two bodies in one frame closer than this (in body sizes) are the same person found twice.
SAME_BODY = 0.25
#: Largest whole-body move (in body sizes) accepted as the same person one frame later ...
LINK_GATE = 0.5
#: ... plus this much per further frame the track went unseen (the person kept moving).
GATE_PER_MISSED_FRAME = 0.1
#: Largest whole-body jump (in body sizes) across which a track that ends is continued by one
#: that starts right there (a badly fitted frame, a jerky stretch of video). Looser than the
#: link gate: a track only ends when no live track took its body, so nobody else is nearer.
STITCH_GATE = 1.5
#: A track that has not been seen for more frames than this is ended.
LOST_AFTER = 15


_JOINTS = np.asarray(BODY_JOINTS)
_ENDED = np.empty(0)  # stands in for the last body of a track that has ended
_SHOULDERS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
_HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def body_scales(images: np.ndarray) -> np.ndarray:
    """Size in pixels of each of the (k, 33, >=2) bodies: the torso length (mid-shoulder to
    mid-hip), at least 1.

    The torso keeps its length while the legs fold, so the size does not shrink in a squat the
    way a bounding box does. Where the torso is shorter than half of a third of the box
    diagonal (a body seen from above, or badly fitted), a third of that diagonal is used.
    """
    images = np.asarray(images, dtype=float)[..., :2]
    torso = np.linalg.norm(images[:, _SHOULDERS].mean(axis=1) - images[:, _HIPS].mean(axis=1),
                           axis=-1)
    pts = images[:, _JOINTS]
    finite = np.all(np.isfinite(pts), axis=-1, keepdims=True)
    low = np.where(finite, pts, np.inf).min(axis=1)
    high = np.where(finite, pts, -np.inf).max(axis=1)
    with np.errstate(invalid="ignore"):
        box = np.linalg.norm(high - low, axis=-1) / 3
    box = np.where(finite.sum(axis=(1, 2)) >= 2, box, 0.0)
    size = np.where(np.isfinite(torso) & (torso > 0.5 * box), torso, box)
    return np.maximum(np.nan_to_num(size, nan=0.0), 1.0)


def body_scale(image: np.ndarray) -> float:
    """Size of one (33, 3) body in pixels (see :func:`body_scales`)."""
    return float(body_scales(image[None])[0])


def distance_matrix(a_images: np.ndarray, a_vis: np.ndarray, b_images: np.ndarray,
                    b_vis: np.ndarray, a_scales: np.ndarray | None = None,
                    b_scales: np.ndarray | None = None) -> np.ndarray:
    """(m, k) mean distances of the main joints between m bodies and k bodies, in body sizes
    (the mean of the two sizes); inf where two bodies have no joint to compare.

    Only joints seen (visibility >= :data:`COMPARE_VISIBILITY`) in both count, unless fewer
    than four are: then all main joints count.
    """
    a = np.asarray(a_images, dtype=float)[:, _JOINTS, :2]
    b = np.asarray(b_images, dtype=float)[:, _JOINTS, :2]
    step = np.linalg.norm(a[:, None] - b[None], axis=-1)  # (m, k, joints)
    both = ((np.asarray(a_vis)[:, None, _JOINTS] >= COMPARE_VISIBILITY)
            & (np.asarray(b_vis)[None, :, _JOINTS] >= COMPARE_VISIBILITY))
    use = np.where(both.sum(axis=-1, keepdims=True) >= 4, both, True) & np.isfinite(step)
    count = use.sum(axis=-1)
    total = np.where(use, step, 0.0).sum(axis=-1)
    sa = body_scales(a_images) if a_scales is None else a_scales
    sb = body_scales(b_images) if b_scales is None else b_scales
    scale = 0.5 * (sa[:, None] + sb[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1) / scale, np.inf)


def body_distance(a_image: np.ndarray, a_vis: np.ndarray, b_image: np.ndarray,
                  b_vis: np.ndarray) -> float:
    """Mean distance of the main joints of two bodies, in body sizes (inf if not comparable)."""
    return float(distance_matrix(a_image[None], a_vis[None], b_image[None], b_vis[None])[0, 0])


def without_duplicates(images: list[np.ndarray], visibilities: list[np.ndarray]) -> list[int]:
    """Indices of the bodies to keep: of two that are the same person, the earlier one."""
    if len(images) < 2:
        return list(range(len(images)))
    apart = distance_matrix(np.stack(images), np.stack(visibilities), np.stack(images),
                            np.stack(visibilities))
    keep: list[int] = []
    for i in range(len(images)):
        if all(apart[i, k] >= SAME_BODY for k in keep):
            keep.append(i)
    return keep


def link_tracks(images: list[list[np.ndarray]], visibilities: list[list[np.ndarray]],
                lost_after: int = LOST_AFTER) -> list[dict[int, int]]:
    """Tracks through the clip: each a map frame index -> index of that body in the frame.

    ``images[i]``/``visibilities[i]`` are the (33, 3) pixel landmarks and (33,) visibilities of
    the bodies found in frame ``i``. Each frame's bodies go to the live tracks (seen within
    ``lost_after`` frames) by least total whole-body distance; a pairing beyond the gate
    (:data:`LINK_GATE` plus :data:`GATE_PER_MISSED_FRAME` per missed frame) is refused and the
    body starts a new track. (:class:`TrackLinker` does the same one frame at a time.)
    """
    linker = TrackLinker(lost_after)
    for bodies, vis in zip(images, visibilities, strict=True):
        linker.add(bodies, vis)
    return linker.tracks


class TrackLinker:
    """:func:`link_tracks` one frame at a time, so a long clip's bodies need not all be kept.

    Only each track's last body is held (tracks are few), plus the tracks' frame -> body maps.
    """

    def __init__(self, lost_after: int = LOST_AFTER) -> None:
        self.lost_after = lost_after
        self.tracks: list[dict[int, int]] = []
        self.frames = 0  # frames added so far (the next frame's index)
        # per track: the frame it was last seen in, and that body
        self._last_frame: list[int] = []
        self._last_image: list[np.ndarray] = []
        self._last_vis: list[np.ndarray] = []
        self._last_scale: list[float] = []
        self._live: list[int] = []  # tracks seen within lost_after frames

    def add(self, bodies: list[np.ndarray], vis: list[np.ndarray]) -> None:
        """Link the bodies of the next frame (each (33, 3) pixels, visibilities (33,))."""
        from scipy.optimize import linear_sum_assignment

        i = self.frames
        self.frames += 1
        tracks, last_frame = self.tracks, self._last_frame
        last_image, last_vis, last_scale = self._last_image, self._last_vis, self._last_scale
        live = [t for t in self._live if i - last_frame[t] <= self.lost_after]
        for t in set(self._live) - set(live):  # ended: its last body is never compared again
            last_image[t] = last_vis[t] = _ENDED
        self._live = live
        matched: set[int] = set()
        if not bodies:
            return
        stack, vstack = np.stack(bodies), np.stack(vis)
        scales = body_scales(stack)
        if live:
            cost = distance_matrix(np.stack([last_image[t] for t in live]),
                                   np.stack([last_vis[t] for t in live]), stack, vstack,
                                   np.array([last_scale[t] for t in live]), scales)
            gate = (LINK_GATE + GATE_PER_MISSED_FRAME
                    * (i - np.array([last_frame[t] for t in live]) - 1))[:, None]
            rows, cols = linear_sum_assignment(np.where(cost <= gate, cost, 1e6))
            for r, c in zip(rows, cols, strict=True):
                if cost[r, c] <= gate[r, 0]:
                    t = live[r]
                    tracks[t][i] = int(c)
                    last_frame[t], last_image[t], last_vis[t] = i, bodies[c], vis[c]
                    last_scale[t] = float(scales[c])
                    matched.add(int(c))
        for c in range(len(bodies)):
            if c not in matched:
                live.append(len(tracks))
                tracks.append({i: c})
                last_frame.append(i)
                last_image.append(bodies[c])
                last_vis.append(vis[c])
                last_scale.append(float(scales[c]))


def stitch_tracks(tracks: list[dict[int, int]], images: list[list[np.ndarray]],
                  visibilities: list[list[np.ndarray]], lost_after: int = LOST_AFTER,
                  max_overlap: int = 2) -> list[dict[int, int]]:
    """Join tracks that are one person split in two (a frame where the model fitted them badly).

    Track B continues track A when B starts at most ``lost_after`` frames after A's last frame
    and B's first body is within :data:`STITCH_GATE` of A's last body before B starts. B may
    also start before A ends: by up to ``max_overlap`` frames (A's bodies are kept there), or
    by up to ``lost_after`` frames when only one body was found in each of the shared frames
    (one person whose fit flips between two poses, taken in turns by the two tracks). The
    closest pairs are joined first, each track continuing at most one and continued by at most
    one.
    """
    def body(t: dict[int, int], i: int) -> tuple[np.ndarray, np.ndarray]:
        return images[i][t[i]], visibilities[i][t[i]]

    tracks = _absorb_flips(tracks, images, visibilities, lost_after)
    starts = [min(t) for t in tracks]
    ends = [max(t) for t in tracks]
    by_start = sorted(range(len(tracks)), key=lambda k: starts[k])
    start_keys = [starts[k] for k in by_start]
    links = []
    for a, ta in enumerate(tracks):
        lo = bisect_left(start_keys, ends[a] - lost_after)
        hi = bisect_right(start_keys, ends[a] + lost_after)
        for b in by_start[lo:hi]:
            b_start = starts[b]
            if a == b or b_start <= starts[a] or ends[b] <= ends[a]:
                continue  # B must go on after A, not sit inside it
            if ends[a] - b_start >= max_overlap and any(
                    len(images[f]) > 1 for f in range(b_start, ends[a] + 1)):
                continue  # a long overlap is one person only if nobody else was there
            j = next((f for f in range(min(ends[a], b_start - 1), starts[a] - 1, -1) if f in ta),
                     None)  # A's last frame before B starts
            if j is None:
                continue
            cost = body_distance(*body(ta, j), *body(tracks[b], b_start))
            if cost <= STITCH_GATE + GATE_PER_MISSED_FRAME * (b_start - j - 1):
                links.append((cost, a, b))
    successor: dict[int, int] = {}
    predecessor: dict[int, int] = {}
    for _, a, b in sorted(links):
        if a in successor or b in predecessor or _chain_root(b, successor) == a:
            continue
        successor[a] = b
        predecessor[b] = a
    joined = []
    for start in range(len(tracks)):
        if start in predecessor:
            continue
        merged: dict[int, int] = {}
        t: int | None = start
        while t is not None:
            merged.update({i: c for i, c in tracks[t].items() if i not in merged})
            t = successor.get(t)
        joined.append(merged)
    return joined


def _absorb_flips(tracks: list[dict[int, int]], images: list[list[np.ndarray]],
                  visibilities: list[list[np.ndarray]], lost_after: int
                  ) -> list[dict[int, int]]:
    """Merge into a longer track the short tracks (at most ``lost_after`` frames) that lie
    within its span, in frames where nobody else was found, and start within
    :data:`STITCH_GATE` of it: one person whose fit flipped between two poses for a while."""
    tracks = [dict(t) for t in tracks]
    long_ones = [k for k, t in enumerate(tracks) if len(t) > lost_after]
    absorbed: set[int] = set()
    for b, tb in enumerate(tracks):
        if len(tb) > lost_after:
            continue
        first, last = min(tb), max(tb)
        if any(len(images[f]) > 1 for f in range(first, last + 1)):
            continue
        for a in long_ones:
            ta = tracks[a]
            if not min(ta) < first <= last < max(ta):
                continue
            j = next((f for f in range(first - 1, min(ta) - 1, -1) if f in ta), None)
            if j is None:
                continue
            cost = body_distance(images[j][ta[j]], visibilities[j][ta[j]],
                                 images[first][tb[first]], visibilities[first][tb[first]])
            if cost <= STITCH_GATE + GATE_PER_MISSED_FRAME * (first - j - 1):
                ta.update(tb)
                absorbed.add(b)
                break
    return [t for k, t in enumerate(tracks) if k not in absorbed]


def _chain_root(track: int, successor: dict[int, int]) -> int:
    """The last track of the chain that starts at ``track`` (to refuse a loop)."""
    while track in successor:
        track = successor[track]
    return track
