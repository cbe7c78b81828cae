"""One router per domain app; duban.api.app mounts them."""
