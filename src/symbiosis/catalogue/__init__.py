"""Sourced by-product reuse pathways (package data)."""
