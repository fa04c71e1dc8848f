"""The demo content loader: Markdown files with front matter, and errors a writer can act on."""

import pytest

from portal.demo_files import DemoFileError, load_folder

FIELDS = {"title": str, "tags": list, "status": ("published", "draft")}
OPTIONAL = {"votes": int, "locked": bool}

GOOD = """---
title: 'Programme de chauffage : la maison est froide'
lang: fr
tags: [thermostat]
status: draft
votes: 3
---
Le texte, en *Markdown*.

Deuxième paragraphe.

--- reply: lucas · 2 hours later · +8 · accepted

Activez le démarrage anticipé.
--- reply: amelie · 10 hours later
Ça marche.
"""


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def test_a_folder_loads_in_file_name_order_with_parts(tmp_path):
    write(tmp_path, "002-second.md", GOOD.replace("draft", "published"))
    write(tmp_path, "001-first.md", GOOD)
    write(tmp_path, "README.md", "How to write these files.")
    first, second = load_folder(tmp_path, FIELDS, OPTIONAL, part="reply")
    assert (first.path.name, second.fields["status"]) == ("001-first.md", "published")
    assert first.fields == {
        "title": "Programme de chauffage : la maison est froide",
        "lang": "fr",
        "tags": ["thermostat"],
        "status": "draft",
        "votes": 3,
    }
    assert first.body == "Le texte, en *Markdown*.\n\nDeuxième paragraphe."
    assert first.parts == (
        ("lucas · 2 hours later · +8 · accepted", "Activez le démarrage anticipé."),
        ("amelie · 10 hours later", "Ça marche."),
    )


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (("title: 'Programme de chauffage : la maison est froide'\n", ""), "title", "missing"),
        (("lang: fr", "lang: de"), "lang", "'de' is not one of en, fr"),
        (("votes: 3", "votes: yes"), "votes", "True should be a whole number"),
        (("status: draft", "status: drafts"), "status", "is not one of published, draft"),
        (("tags: [thermostat]", "tags: thermostat"), "tags", "should be a list"),
        (("votes: 3", "vote: 3"), "vote", "not a known field"),
        (("[thermostat]", "[thermostat"), "front matter", "not valid YAML"),
        (("---\ntitle", "title"), "front matter", "must start with a '---' line"),
        (("--- reply: lucas", "--- answer: lucas"), "--- answer:", "not a part"),
        (("Le texte, en *Markdown*.\n\nDeuxième paragraphe.\n", ""), "body", "empty"),
    ],
)
def test_a_wrong_file_names_the_file_and_the_field(tmp_path, change, field, problem):
    write(tmp_path, "007-broken.md", GOOD.replace(*change, 1))
    with pytest.raises(DemoFileError) as caught:
        load_folder(tmp_path, FIELDS, OPTIONAL, part="reply")
    assert caught.value.path.name == "007-broken.md" and caught.value.field == field
    assert str(caught.value).startswith(f"{tmp_path / '007-broken.md'}: {field}: ")
    assert problem in str(caught.value)


def test_content_without_parts_refuses_a_reply_line(tmp_path):
    write(tmp_path, "article.md", GOOD)
    with pytest.raises(DemoFileError, match="--- reply:: not a part"):
        load_folder(tmp_path, FIELDS, OPTIONAL)
