"""Peer community: threads, replies, votes, accepted solutions, reputation (issue #4)."""
