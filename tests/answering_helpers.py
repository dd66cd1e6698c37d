"""A knowledge file shared by the answering tests: one entry, written as a trust would write it."""

SNOMED = """\
entries:
  - id: snomed-ct
    kind: jargon
    title: SNOMED CT
    aliases: [SNOMED]
    answer: The shared clinical vocabulary.
"""
