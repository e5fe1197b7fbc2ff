"""Validation: the rules every load applies (:mod:`~kg.validation.rules`), and SHACL (:mod:`~kg.validation.shacl`)."""
