"""Stand-ins for the platforms, served over real HTTP on 127.0.0.1."""
