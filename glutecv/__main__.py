"""``python -m glutecv`` is the same as the ``glutecv`` command."""

from glutecv.cli import main

raise SystemExit(main())
