"""``kg.remote``: push a graph to a SPARQL 1.1 endpoint and query it (:mod:`kg.store.remote`, re-exported).

>>> from kg.remote import Endpoint
>>> Endpoint.parse("http://localhost:7878/query").query
'http://localhost:7878/query'
"""

from kg.store.remote import Endpoint, ask, clear_cache, construct, fetch, push, select, update

__all__ = ["Endpoint", "ask", "clear_cache", "construct", "fetch", "push", "select", "update"]
