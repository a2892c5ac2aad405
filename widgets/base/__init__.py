"""What every tile builds on: Tile, TileSpec, the tile registry, the sparkline."""
