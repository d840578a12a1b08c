"""Following arXiv and Hugging Face like a feed reader: fetching feeds into the library.

- `config`: the feeds listed in config.toml (`load_feeds`) and their network settings;
- `http`: GET with network manners (timeouts, retries, spacing, conditional requests);
- `arxiv_api`, `daily_papers`: each service's requests and answers, read with the same
  parsers and cleaning as imported files (arXiv's announcement feeds are read by
  `paperdeck.core.sources.announcements`, which reads a saved copy too);
- `runner`: `FeedRunner`, which refreshes feeds into a library, one transaction each.

Nothing is imported here, so that the reader's sidebar can ask `source_names.source_label`
without loading the parsers or the feeds' settings.
"""
