"""The back office pages, one module per concern; urls.py imports them."""
