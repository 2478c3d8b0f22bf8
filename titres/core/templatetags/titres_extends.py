"""`{% extends %}` with the root parent's blocks found once per template.

Django's `ExtendsNode.render` walks the whole root parent (base.html: every
node of the header, footer and kept parts) with `get_nodes_by_type` on
every render, to list its `{% block %}` tags: about 1,200 Python calls on
each page of the portal, an eighth of the agents' work list (issue 17,
docs/capacity.md ninth pass (a)). A compiled template does not change, so
the list is kept on the compiled parent itself: the cached template
loader's one in production, a new one (and a new walk) when a loader
compiles the template again. Installed as a template builtin
(settings.TEMPLATES), after Django's own, so `{% extends %}` is this one;
everything else (the parsing, the errors, `{{ block.super }}`) is Django's.
"""

from django import template
from django.template.base import TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode
from django.template.loader_tags import do_extends as django_do_extends

register = template.Library()

_ROOT_BLOCKS = "_titres_root_blocks"
_NOT_ROOT = {}  # the parent extends another template: its blocks come from its own node


def root_blocks(compiled_parent) -> dict:
    """What Django's `ExtendsNode.render` adds for `compiled_parent`: its
    blocks by name when its first non-text node is not `{% extends %}`,
    nothing otherwise (the same loop, run once per compiled template)."""
    blocks = compiled_parent.__dict__.get(_ROOT_BLOCKS)
    if blocks is None:
        blocks = _NOT_ROOT
        for node in compiled_parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    blocks = {
                        n.name: n for n in compiled_parent.nodelist.get_nodes_by_type(BlockNode)
                    }
                break
        compiled_parent.__dict__[_ROOT_BLOCKS] = blocks
    return blocks


class KeptBlocksExtendsNode(ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not _NOT_ROOT:
            block_context.add_blocks(blocks)
        # As Django: Template._render so the parser context stays the same.
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def do_extends(parser, token):
    node = django_do_extends(parser, token)
    node.__class__ = KeptBlocksExtendsNode
    return node
