"""The 33 BlazePose landmarks by name, with left/right mirroring and the drawn skeleton.

Nowhere in glutecv is a landmark addressed by a bare integer: use :class:`Landmark`.
"Left" and "right" are the person's own sides, as BlazePose reports them.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Literal

Side = Literal["left", "right"]


class Landmark(IntEnum):
    """BlazePose landmark indices (MediaPipe PoseLandmarker, 33 points)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32

    @property
    def side(self) -> Side | None:
        """The body side of this landmark, or None for the nose."""
        if self.name.startswith("LEFT_") or self.name == "MOUTH_LEFT":
            return "left"
        if self.name.startswith("RIGHT_") or self.name == "MOUTH_RIGHT":
            return "right"
        return None

    def mirror(self) -> Landmark:
        """The same landmark on the other side of the body (the nose mirrors to itself)."""
        name = self.name
        for a, b in (("LEFT", "RIGHT"), ("RIGHT", "LEFT")):
            if a in name:
                return Landmark[name.replace(a, b)]
        return self


NUM_LANDMARKS = len(Landmark)

# A few joint names that analyzers use per side: side_landmark("left", "KNEE") -> LEFT_KNEE.
JointName = Literal[
    "SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX", "EAR", "EYE"
]


def side_landmark(side: Side, joint: JointName) -> Landmark:
    """The landmark for ``joint`` on the person's ``side``."""
    return Landmark[f"{side.upper()}_{joint}"]


def other_side(side: Side) -> Side:
    """``"left"`` <-> ``"right"``."""
    return "right" if side == "left" else "left"


# Bones drawn by the skeleton annotator (pairs of landmarks).
SKELETON: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.NOSE, Landmark.LEFT_EYE),
    (Landmark.NOSE, Landmark.RIGHT_EYE),
    (Landmark.LEFT_EYE, Landmark.LEFT_EAR),
    (Landmark.RIGHT_EYE, Landmark.RIGHT_EAR),
)
