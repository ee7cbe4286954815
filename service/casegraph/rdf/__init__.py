"""RDF in and out: media types, serialisers, parsing of uploads, terms and query results."""
