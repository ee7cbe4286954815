"""SPARQL as casegraph handles it: safety checks, update scope, templates, the question catalogue."""
