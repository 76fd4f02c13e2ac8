"""Pose data (:mod:`.types`) and the MediaPipe estimator (:mod:`.estimator`)."""

from glutecv.pose.types import PoseFrame, PoseSequence

__all__ = ["PoseFrame", "PoseSequence"]
