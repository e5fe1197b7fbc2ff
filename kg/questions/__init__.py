"""The questions: paths, effect, reach, loops, compare and explain, on a :class:`~kg.store.store.Store`.

Each takes resolved entity CURIEs and a parsed :class:`~kg.context.Context`, so a question resolves its
names and parses its context once. The public spelling is the methods of :class:`kg.KnowledgeGraph`
(``g.effect(...)``); these functions are how they are made, not a second API.
"""
