"""What every backend shares: a Jinja environment over its own template folder.

A backend is a template folder plus one escaping module; the view already fixed
order and content, so the templates only spell.  Templates are compiled once per
process (Jinja caches them on the environment).
"""

from __future__ import annotations

from functools import cached_property

import jinja2

from ..model import ModelError
from ..presets import PRESETS
from .. import style


class Backend:
    name: str = ""
    extension: str = ""
    views: tuple[str, ...] = ()

    def filters(self) -> dict:
        """Escaping and naming filters the templates use; one module per backend defines them."""
        raise NotImplementedError

    def globals(self) -> dict:
        return {}

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("lablink_diagrams", f"templates/{self.name}"),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(self.filters())
        env.globals.update(ROLE_COLORS=style.ROLE_COLORS, cluster_colors=style.cluster_colors, FONT=style.FONT)
        env.globals.update(self.globals())
        return env

    def emit(self, view, preset: str = "paper") -> str:
        if view.kind not in self.views:
            raise ModelError(f"the {self.name} backend has no {view.kind} view (it has: {', '.join(self.views)})")
        template = self.env.get_template(f"{view.kind}.j2")
        return template.render(view=view, preset=PRESETS[preset]).rstrip("\n") + "\n"
