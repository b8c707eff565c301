"""nianbao: the open corpus of China's government information-disclosure annual reports.

This package holds what spans the stages: the command line (:mod:`nianbao.cli`), the renderer
of report tables (:mod:`nianbao.render`, the inverse of extraction) and the mock portals that the
demo and the tests crawl (:mod:`nianbao.portal`).
"""
__version__ = "0.1.0"
