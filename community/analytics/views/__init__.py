"""The analytics pages' sections: each module turns the numbers of one question
(`analytics.queries`) into what the page shows — key figures, tables and charts — in the
reader's language. `sections.py` holds the shapes and the list of sections per reader."""
