"""lablink-diagrams: LabLink's architecture from one backend-neutral model.

mechanisms (build models) → model → views (architecture, sequence, schema)
→ backends (Jinja templates + one escaping module each) → text → render (subprocesses) → out/
"""

__version__ = "0.1.0"
