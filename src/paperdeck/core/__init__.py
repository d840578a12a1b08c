"""The data layer: models, sources, store, index and export. It never imports Textual."""
