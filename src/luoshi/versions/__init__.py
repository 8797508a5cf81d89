"""A plan's relations beyond its own text: what a revision carries over from the version it revises
(reports read through the lineage; responsible persons, cases, evaluations, indicator values and links
copied), and the higher plan a plan implements, with its tasks linked and progress rolled up."""
