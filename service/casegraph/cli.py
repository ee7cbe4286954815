"""The ``casegraph`` command.

Each sub-command is a thin shell over a module that does the work, so that the
same behaviour is reachable from Python and from tests without a subprocess.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casegraph")
def main() -> None:
    """casegraph: a knowledge graph of enterprise case studies."""
