"""Descriptions of the analysis passes live in their modules."""
