"""The referrer club's forum."""
