"""The package version (its own module, so that nothing below the public API imports ``kg`` itself)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
