"""warmonitor: conflict and humanitarian news in, a sourced, structured record of facts out."""

__version__ = "0.1.0"
