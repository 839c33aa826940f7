"""Printed outputs: the review-meeting PDF and its static charts (no Streamlit here)."""
