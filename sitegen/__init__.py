"""sitegen: a static site generator for school news publications."""

__version__ = "0.1.0"
