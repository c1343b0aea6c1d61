"""The Content page (/content): its registration, layout and callback wiring are in page.py."""
