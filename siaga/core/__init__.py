"""The planning core: pure Python, no Django. Takes its configuration as arguments."""
