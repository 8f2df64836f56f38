"""Each role's home page: what it does next, gathered by one service."""
