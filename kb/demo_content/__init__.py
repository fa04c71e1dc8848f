"""Brightwave's demo knowledge base, written for this project: English and a few in French."""

from kb.demo_content import billing_account, connectivity, smart_home

PUBLISHED = connectivity.ARTICLES + billing_account.ARTICLES + smart_home.ARTICLES
DRAFTS = smart_home.DRAFTS
