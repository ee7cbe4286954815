"""``python -m casegraph.cli``: the ``casegraph`` command without its console script."""

from casegraph.cli import main

main()
