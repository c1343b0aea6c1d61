"""Small layout factories shared by the pages."""
