"""Where the landmarks are on the rig, and the rest-pose segment vectors the poses aim.

Joint centres come from bone heads (hip = ``upperleg01``, knee = ``lowerleg01``, ankle =
``foot``, shoulder = ``upperarm01``, elbow = ``lowerarm01``, wrist = ``wrist``); heel, toe
tip and nose are skin vertices picked once in the rest pose. Landmark names are the
BlazePose names of :class:`glutecv.landmarks.Landmark`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecv.synth.body import RestBody

SIDES = ("left", "right")
_SUFFIX = {"left": "L", "right": "R"}

#: Landmarks given by bone heads.
HEAD_JOINTS = {
    "SHOULDER": "upperarm01", "ELBOW": "lowerarm01", "WRIST": "wrist",
    "HIP": "upperleg01", "KNEE": "lowerleg01", "ANKLE": "foot",
}
#: Landmarks written per frame into the ground truth (BlazePose names).
TRUTH_LANDMARKS = tuple(
    f"{side.upper()}_{joint}" for joint in
    ("SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
    for side in SIDES
) + ("NOSE",)


def bone_name(part: str, side: str) -> str:
    """``bone_name("upperleg01", "left") -> "upperleg01.L"``."""
    return f"{part}.{_SUFFIX[side]}"


@dataclass(frozen=True)
class Skeleton:
    """Rest-pose measurements of one body (body frame, metres)."""

    rest: RestBody
    heel_vertex: dict[str, int]
    toe_vertex: dict[str, int]
    nose_vertex: int
    back_point: np.ndarray      # upper-back skin point between the shoulder blades

    @classmethod
    def of(cls, rest: RestBody) -> Skeleton:
        """Measure ``rest``: pick the heel, toe-tip, nose and upper-back points."""
        v = rest.vertices
        names = rest.bone_names
        heel, toe = {}, {}
        for side in SIDES:
            s = _SUFFIX[side]
            foot = np.flatnonzero(rest.dominant_bone == rest.bone(f"foot.{s}"))
            low = foot[v[foot, 1] < v[foot, 1].min() + 0.03]
            heel[side] = int(low[np.argmin(v[low, 2])])
            toes = np.flatnonzero(np.isin(
                rest.dominant_bone, [i for i, n in enumerate(names)
                                     if n.startswith(("toe1-", "toe2-")) and n.endswith(s)]))
            toe[side] = int(toes[np.argmax(v[toes, 2])])
        head = np.flatnonzero(rest.dominant_bone == rest.bone("head"))
        eye_y = rest.heads[rest.bone("eye.L"), 1]
        near = head[np.abs(v[head, 1] - (eye_y - 0.035)) < 0.02]
        nose = int(near[np.argmax(v[near, 2])])
        sh_y = rest.heads[rest.bone("upperarm01.L"), 1] - 0.10
        band = np.flatnonzero((np.abs(v[:, 1] - sh_y) < 0.02) & (np.abs(v[:, 0]) < 0.05))
        back = np.array([0.0, sh_y, v[band, 2].min()])
        return cls(rest=rest, heel_vertex=heel, toe_vertex=toe, nose_vertex=nose,
                   back_point=back)

    def head(self, part: str, side: str | None = None) -> np.ndarray:
        """Rest position of a bone head (``side`` for paired bones)."""
        name = bone_name(part, side) if side else part
        return self.rest.heads[self.rest.bone(name)]

    def vector(self, part_from: str, part_to: str, side: str | None = None) -> np.ndarray:
        """Rest vector between two bone heads of the same side."""
        return self.head(part_to, side) - self.head(part_from, side)

    def thigh(self, side: str) -> np.ndarray:
        return self.vector("upperleg01", "lowerleg01", side)

    def shin(self, side: str) -> np.ndarray:
        return self.vector("lowerleg01", "foot", side)

    def upper_arm(self, side: str) -> np.ndarray:
        return self.vector("upperarm01", "lowerarm01", side)

    def forearm(self, side: str) -> np.ndarray:
        return self.vector("lowerarm01", "wrist", side)

    @property
    def sole_height(self) -> float:
        """Ankle-joint height above the floor with the foot flat, metres."""
        return self.rest.sole_height

    def joints(self, heads: np.ndarray, vertices: np.ndarray) -> dict[str, np.ndarray]:
        """World positions of :data:`TRUTH_LANDMARKS` from posed bone heads and vertices."""
        out: dict[str, np.ndarray] = {}
        for side in SIDES:
            for joint, part in HEAD_JOINTS.items():
                out[f"{side.upper()}_{joint}"] = heads[self.rest.bone(bone_name(part, side))]
            out[f"{side.upper()}_HEEL"] = vertices[self.heel_vertex[side]]
            out[f"{side.upper()}_FOOT_INDEX"] = vertices[self.toe_vertex[side]]
        out["NOSE"] = vertices[self.nose_vertex]
        return {name: out[name] for name in TRUTH_LANDMARKS}
