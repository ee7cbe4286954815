"""Chinese-aware full-text search over the store's texts."""
