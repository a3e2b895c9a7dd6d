"""The LINE channel. Only this package imports ``linebot``."""
