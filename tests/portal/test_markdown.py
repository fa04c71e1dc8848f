"""The shared Markdown renderer keeps formatting and drops anything active."""

import pytest

from portal.markdown import render_markdown, render_markdown_with_toc


def test_formatting_survives():
    html = render_markdown(
        "## Steps\n\n1. **Unplug** the hub\n2. Wait `30 s`\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert '<h2 id="sec-steps">Steps</h2>' in html
    assert "<strong>Unplug</strong>" in html and "<code>30 s</code>" in html and "<table>" in html


def test_fenced_code_and_table_of_contents():
    html, toc = render_markdown_with_toc("## One\n\n```python\nprint(1)\n```\n\n## Two\n")
    assert '<code class="language-python">' in html
    assert 'href="#sec-one"' in toc and 'href="#sec-two"' in toc
    assert render_markdown_with_toc("## Only one heading")[1] == ""


def test_customer_links_are_nofollow_staff_links_are_not():
    assert 'rel="nofollow ugc noopener noreferrer"' in render_markdown("[a](https://example.com)")
    staff = render_markdown("[a](https://example.com)", user_content=False)
    assert "nofollow" not in staff and 'href="https://example.com"' in staff


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_active_content_is_inert(source):
    html = render_markdown(source).lower()
    for marker in (
        "<script",
        "javascript:",
        "onerror",
        "data:",
        "<iframe",
        "<style",
        "<svg",
        "alert(1)</",
    ):
        assert marker not in html


def test_images_only_from_the_portal_or_https():
    assert 'src="/static/a.png"' in render_markdown("![a](/static/a.png)")
    assert 'src="https://cdn.example.com/a.png"' in render_markdown(
        "![a](https://cdn.example.com/a.png)"
    )
    assert "src=" not in render_markdown("![a](http://cdn.example.com/a.png)")
    assert "src=" not in render_markdown("![a](//cdn.example.com/a.png)")
