"""Open mHealth data points (JSON): files of them, and the push API for companion apps."""
