"""initiative-kg: knowledge graphs of initiatives, programs, platforms,
organisations and places from Chinese corporate sustainability texts."""

__version__ = "0.1.0"
