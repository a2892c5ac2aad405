"""Where the repository and the test data are, wherever a test module sits in the tree."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
