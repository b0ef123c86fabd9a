"""Host tool for the Ankle Pump Coach."""

__version__ = "0.1.0"
