"""Findings and what is computed from them: the finding type, fingerprints, source
excerpts and readiness per cloud service and per migration unit."""
