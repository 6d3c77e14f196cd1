"""Loaders: turn input files into model parts. They import only the model and errors."""
