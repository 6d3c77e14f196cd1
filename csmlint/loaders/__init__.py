"""Loaders: turn input files into model parts, one subpackage per input family (``files``,
``topology``, ``asm``). They import only the model, errors and the hardened parsers."""
