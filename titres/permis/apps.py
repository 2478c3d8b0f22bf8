from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisConfig(AppConfig):
    name = "titres.permis"
    label = "permis"
    verbose_name = _("Permis de conduire")

    def ready(self):
        # The téléprocédure "Permis de conduire" (seed 002).
        from titres.core.cog import register_commune_resolver
        from titres.instruction.tools import AgentTool, register_agent_tool

        from . import elsewhere, extension, procedure
        from .communes import commune_name_by_insee
        from .echange import decisions as echange_decisions  # noqa: F401 (signal receivers)
        from .echange import procedure as echange
        from .inscription import (
            decisions,  # noqa: F401 (signal receivers)
            fabrication,
        )
        from .inscription import procedure as inscription

        procedure.register()
        inscription.register()
        fabrication.register()
        extension.register()
        echange.register()
        elsewhere.register()
        register_agent_tool(
            AgentTool(
                label=_("Résultats d’examen"),
                url_name="permis:exam_results",
                permission="permis.record_exam_result",
            )
        )
        # FranceConnect's birthplace codes read as names (titres.core.cog).
        register_commune_resolver(commune_name_by_insee)
