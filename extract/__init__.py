"""Turn one report document (HTML, PDF, DOCX or a text dump) into a structured report.

The entry point is :func:`extract.documents.extract_document`; :mod:`extract.tables` reads the
three statistical tables from rows of cells, whatever layout those rows came from.
"""
