"""The ingest process: every source, the processors and the single cache writer, outside the GUI."""
