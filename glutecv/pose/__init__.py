"""Pose data (:mod:`glutecv.pose.types`) and the MediaPipe estimator (:mod:`glutecv.pose.estimator`)."""

from glutecv.pose.types import PoseFrame, PoseSequence

__all__ = ["PoseFrame", "PoseSequence"]
