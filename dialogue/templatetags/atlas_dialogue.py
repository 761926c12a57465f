"""Template tags through which lower apps' pages list dialogues (stakeholders cannot import us)."""

from django import template

from dialogue import selectors

register = template.Library()


@register.simple_tag
def organization_dialogue_roles(organization):
    """The public dialogues an organisation helped organise, with its role in each."""
    return list(selectors.organizer_roles_of_organization_public(organization=organization))


@register.simple_tag
def person_participations(person):
    """A consenting person's public participations (both consent flags, public dialogue)."""
    return list(selectors.participations_of_person_public(person=person))
