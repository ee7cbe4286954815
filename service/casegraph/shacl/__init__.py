"""SHACL validation: the compiled shapes engine, its SPARQL constraints, reports."""
