"""vnhealth: indicator values from Vietnamese provincial health reports, as a warehouse."""

__version__ = "0.1.0"
