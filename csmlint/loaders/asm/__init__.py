"""Service Management (ASM) REST XML exports: each export read into a topology fragment
(:mod:`.export`), fragments merged (:mod:`.merge`), and mapped into a lint run
(:mod:`.mapping`)."""
