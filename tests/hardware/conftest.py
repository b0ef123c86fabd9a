import sys
from pathlib import Path

# The hardware scripts are run as scripts (python hardware/diagrams.py), not installed.
HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
sys.path.insert(0, str(HARDWARE))
sys.path.insert(0, str(HARDWARE / "enclosure"))
