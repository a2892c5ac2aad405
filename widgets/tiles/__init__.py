"""Tile types, one module each; a new type is a new module here using @register_tile."""
