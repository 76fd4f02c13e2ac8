"""Fault requests: ``CODE:SIZE[@REPS]`` on the command line, e.g. ``knee_valgus:12@2,4``."""

from __future__ import annotations

from dataclasses import dataclass

from glutecv.errors import GlutecvError

#: Every fault the studio can inject, with the unit of its size.
FAULT_UNITS = {
    "knee_valgus": "deg",        # extra knee FPPA (valgus) at the top of the rep
    "lumbar_extension": "deg",   # trunk-on-pelvis extension at lockout; hips above the line
    "pelvic_drop": "deg",        # pelvis rolls down on the free-leg side
    "pelvis_rotation": "deg",    # pelvis rolls backwards (clamshell)
    "trunk_shift": "deg",        # trunk moves sideways: lean of the support arms
    "hip_hike": "deg",           # pelvis rolls up on the working side
    "incomplete_rom": "deg",     # the exercise's range-of-motion angle stops this short
}


@dataclass(frozen=True)
class FaultRequest:
    """Inject ``code`` of ``size`` (in :data:`FAULT_UNITS`) on ``reps`` (1-based; None = all)."""

    code: str
    size: float
    reps: tuple[int, ...] | None = None

    def applies_to(self, rep: int) -> bool:
        return self.reps is None or rep in self.reps


def parse_fault(text: str) -> FaultRequest:
    """Parse ``CODE:SIZE[@REPS]``; REPS is a comma list of rep numbers or ranges (2-4)."""
    spec, _, reps_text = text.partition("@")
    code, sep, size_text = spec.partition(":")
    code = code.strip()
    if code not in FAULT_UNITS:
        raise GlutecvError(f"unknown fault {code!r}; choose one of: {', '.join(FAULT_UNITS)}")
    if not sep:
        raise GlutecvError(f"fault {text!r} needs a size, e.g. {code}:10")
    try:
        size = float(size_text)
    except ValueError:
        raise GlutecvError(f"fault {text!r}: size {size_text!r} is not a number") from None
    reps: tuple[int, ...] | None = None
    if reps_text.strip():
        found: list[int] = []
        try:
            for part in reps_text.split(","):
                lo, dash, hi = part.strip().partition("-")
                found.extend(range(int(lo), int(hi) + 1) if dash else [int(lo)])
        except ValueError:
            raise GlutecvError(f"fault {text!r}: reps {reps_text!r} must look like 2,4 "
                               "or 2-3") from None
        if not found or min(found) < 1:
            raise GlutecvError(f"fault {text!r}: rep numbers start at 1")
        reps = tuple(sorted(set(found)))
    return FaultRequest(code, size, reps)
