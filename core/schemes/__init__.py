"""Funding schemes: the registry of the source documents, eligibility, projects, Région Sud, allocation."""
