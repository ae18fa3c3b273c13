"""The annotation loop: machine pre-annotations corrected in Label Studio or doccano, read back as gold.

:mod:`kg.annotation.tasks` holds what both tools show, whichever the tool:
an annotation task (a passage of a document, its labelled regions and the
links between them) and the region meta lines that carry canonical names and
figures. :mod:`exports.annotation` makes tasks from a graph;
:mod:`kg.annotation.labelstudio` and :mod:`kg.annotation.doccano` read the
tools' exports back into tasks; :mod:`kg.annotation.togold` turns a task into a
gold record (GUIDELINES format) and :mod:`kg.annotation.formats` tells the
formats apart by content (``kg convert``, ``kg train``).
"""
