"""Change stamps and the cache of rendered parts (see README.md, "Caching")."""
