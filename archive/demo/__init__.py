"""The demo collection: its content (data), the loader, and the pictures it is made of."""
