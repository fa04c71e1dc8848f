"""Knowledge base: tagged Markdown articles, revisions, feedback, topic pages (issue #3)."""
