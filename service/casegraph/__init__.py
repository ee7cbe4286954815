"""casegraph: a knowledge graph and semantic query service for enterprise case studies."""

__version__ = "0.1.0"
