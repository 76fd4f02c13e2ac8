"""Native log silencing: fd 2 redirected while MediaPipe talks, always restored."""

from __future__ import annotations


def test_stderr_silencing_nests_across_threads_and_restores(capfd) -> None:
    import os
    import threading

    from glutecv.pose.estimator import native_stderr_silenced

    gate_a, gate_b = threading.Event(), threading.Event()

    def other() -> None:
        with native_stderr_silenced():
            gate_a.set()
            gate_b.wait(5)  # leaves after the main thread has left

    worker = threading.Thread(target=other)
    with native_stderr_silenced():
        worker.start()
        gate_a.wait(5)
        os.write(2, b"hidden-1\n")
    os.write(2, b"hidden-2\n")  # the other thread is still inside
    gate_b.set()
    worker.join(5)
    os.write(2, b"shown\n")
    err = capfd.readouterr().err
    assert "hidden" not in err and "shown" in err
