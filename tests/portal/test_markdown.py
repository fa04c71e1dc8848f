"""The shared Markdown renderer keeps formatting and drops anything active."""

from html.parser import HTMLParser

import pytest

from portal.markdown import ALLOWED_TAGS, render_markdown, render_markdown_with_toc


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


# Known XSS vectors (OWASP cheat sheet, html5sec.org, PortSwigger), as Markdown or raw HTML.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<template><script>alert(1)</script></template>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onload="alert(1)">',
    '<IMG SRC="jav&#x0A;ascript:alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<code class="x" onclick="alert(1)">x</code>',
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    "```html\n<script>alert(1)</script>\n```",
]


class ActiveContentFinder(HTMLParser):
    """Collects everything in rendered HTML that a browser could run or load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.open_tags = []

    def handle_starttag(self, tag, attrs):
        self.open_tags.append(tag)
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name in {"href", "src"} and value is not None:
                # Browsers ignore whitespace and control characters inside a scheme.
                squeezed = "".join(c for c in value if c > " ").lower()
                scheme = squeezed.split(":", 1)[0] if ":" in squeezed else ""
                if scheme and scheme not in {"http", "https", "mailto"}:
                    self.problems.append(f"{name}={value!r}")
                if name == "src" and not (scheme == "https" or squeezed.startswith("/")):
                    self.problems.append(f"image from {value!r}")

    def handle_data(self, data):
        if self.open_tags and self.open_tags[-1] in {"script", "style"}:
            self.problems.append("script or style content")


@pytest.mark.parametrize("user_content", [True, False], ids=["customer", "staff"])
@pytest.mark.parametrize("source", XSS_VECTORS)
def test_known_xss_vectors_are_inert(source, user_content):
    html = render_markdown(source, user_content=user_content)
    finder = ActiveContentFinder()
    finder.feed(html)
    assert finder.problems == [], html
    lowered = html.lower()
    for marker in ("<script", "<iframe", "<style", "<svg", "<object", "<embed", "<form"):
        assert marker not in lowered


def test_there_are_at_least_thirty_vectors():
    assert len(XSS_VECTORS) >= 30


def test_images_only_from_the_portal_or_https():
    assert 'src="/static/a.png"' in render_markdown("![a](/static/a.png)")
    assert 'src="https://cdn.example.com/a.png"' in render_markdown(
        "![a](https://cdn.example.com/a.png)"
    )
    assert "src=" not in render_markdown("![a](http://cdn.example.com/a.png)")
    assert "src=" not in render_markdown("![a](//cdn.example.com/a.png)")


MENTIONS = {"sam": "/u/sam", "john_doe": "/u/john_doe"}


def test_mentions_become_profile_links_only_in_plain_text():
    html = render_markdown(
        "Hi **@Sam**, ask @john_doe. Not `@sam`, not sam@example.com, not @nobody.\n\n"
        "```\n@sam\n```\n\n[@sam](https://example.com) a/@sam",
        mention_links=MENTIONS,
    )
    assert (
        '<strong><a href="/u/sam" rel="nofollow ugc noopener noreferrer">@Sam</a></strong>' in html
    )
    assert '<a href="/u/john_doe" rel="nofollow ugc noopener noreferrer">@john_doe</a>.' in html
    assert html.count('href="/u/') == 2
    assert "<code>@sam</code>" in html and "<pre><code>@sam\n</code></pre>" in html
    assert "sam@example.com" in html and "@nobody" in html and "a/@sam" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener noreferrer">@sam</a>' in html


def test_mentions_cannot_carry_markup():
    html = render_markdown(
        '@sam"><script>alert(1)</script> @sam<img src=x onerror=alert(1)>', mention_links=MENTIONS
    )
    assert "<script" not in html and "onerror" not in html and "alert(1)</" not in html
    assert html.count('<a href="/u/sam"') == 2
    assert "@sam" in render_markdown("@sam") and 'href="/u/sam"' not in render_markdown("@sam")
