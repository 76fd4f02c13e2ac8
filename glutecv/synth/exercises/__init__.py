"""Registry of the synthetic exercise scripts by name."""

from __future__ import annotations

from glutecv.errors import UnknownNameError
from glutecv.synth.exercises.base import SynthExercise

EXERCISE_NAMES = ("hip_thrust", "glute_bridge", "single_leg_glute_bridge", "clamshell",
                  "fire_hydrant", "squat", "lunge")


def exercise_class(name: str) -> type[SynthExercise]:
    """The script class for exercise ``name``; unknown names list the known ones."""
    from glutecv.synth.exercises.bridges import GluteBridge, HipThrust, SingleLegGluteBridge
    from glutecv.synth.exercises.floor import Clamshell, FireHydrant

    classes: dict[str, type[SynthExercise]] = {
        c.name: c for c in (HipThrust, GluteBridge, SingleLegGluteBridge, Clamshell,
                            FireHydrant)}
    try:
        from glutecv.synth.exercises.standing import Lunge, Squat

        classes.update({Squat.name: Squat, Lunge.name: Lunge})
    except ImportError:  # pragma: no cover - standing scripts are optional
        pass
    if name not in classes:
        raise UnknownNameError("exercise", name, classes)
    return classes[name]
