"""Import a paper's results table (LaTeX, Markdown, HTML, CSV) as a validated `results:` block."""
