"""Spiders: ``reports`` (any start URL, family detected or named), ``discover`` (from a portal's
home page), and one spider per configured source (generated from ``crawler/data/sources.toml``)."""
