from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core import review
from core.admin import PublishableAdmin
from dialogue.admin import DialogueAdmin
from dialogue.models import Dialogue, DialogueDocument
from findings import services
from findings.models import Finding, Recommendation, RecommendationUpdate
from findings.resources import FindingResource, RecommendationResource


class FindingInline(TranslationStackedInline):
    """Findings edited from their dialogue's page (title and summary; the body on its own page)."""

    model = Finding
    extra = 0
    fields = ("order", "kind", "perspective", "perspective_country", "title", "summary", "status")
    readonly_fields = ("status",)  # publishing happens on the finding's own page, by an Editor
    show_change_link = True


@admin.register(Finding)
class FindingAdmin(PublishableAdmin):
    resource_classes = [FindingResource]
    list_display = (
        "title",
        "dialogue",
        "kind",
        "perspective",
        "status",
        "is_public_now",
        "translation_status",
    )
    list_filter = ("status", "kind", "perspective", "dialogue", "themes")
    search_fields = (
        "title_en",
        "title_fr",
        "title_ko",
        "summary_en",
        "summary_fr",
        "summary_ko",
        "body_en",
        "body_fr",
        "body_ko",
    )
    autocomplete_fields = ("dialogue", "themes")
    list_select_related = ("dialogue",)
    fieldsets = (
        (None, {"fields": ("dialogue", "order", "kind", "perspective", "perspective_country", "themes")}),
        (_("Text"), {"fields": ("title", "summary", "body")}),
        (_("Source"), {"fields": ("source_document", "source_locator")}),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A finding cites its own dialogue's documents (Finding.clean refuses any other).
        if db_field.name == "source_document":
            object_id = (request.resolver_match.kwargs if request.resolver_match else {}).get("object_id")
            if object_id and str(object_id).isdigit():
                dialogue = Finding.objects.filter(pk=object_id).values("dialogue_id")
                kwargs["queryset"] = DialogueDocument.objects.filter(dialogue_id__in=dialogue)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RecommendationUpdateInline(TranslationTabularInline):
    model = RecommendationUpdate
    extra = 0
    fields = ("update_date", "status", "note", "source_url")


@admin.register(Recommendation)
class RecommendationAdmin(PublishableAdmin):
    resource_classes = [RecommendationResource]
    list_display = (
        "title",
        "dialogue",
        "current_status",
        "priority",
        "horizon",
        "status",
        "is_public_now",
        "translation_status",
    )
    list_filter = ("status", "current_status", "priority", "horizon", "dialogue", "themes")
    search_fields = ("title_en", "title_fr", "title_ko", "body_en", "body_fr", "body_ko")
    autocomplete_fields = ("dialogue", "themes", "source_findings", "addressee_organizations", "follows")
    list_select_related = ("dialogue",)
    fieldsets = (
        (None, {"fields": ("dialogue", "order", "title", "body", "themes", "source_findings")}),
        (
            _("Addressees and progress"),
            {
                "fields": (
                    "addressee_organizations",
                    "addressee_countries",
                    "priority",
                    "horizon",
                    "current_status",
                    "follows",
                    "follow_up_kind",
                )
            },
        ),
        (_("Publication"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )
    inlines = [RecommendationUpdateInline]


# The dialogue's page also lists its findings; registered here so `dialogue` never imports `findings`.
admin.site.unregister(Dialogue)


@admin.register(Dialogue)
class DialogueWithFindingsAdmin(DialogueAdmin):
    inlines = [*DialogueAdmin.inlines, FindingInline]
    actions = [*DialogueAdmin.actions, "publish_with_children"]

    @staticmethod
    def _key(record) -> str:
        return f"{record._meta.label_lower}:{record.pk}"

    @admin.action(description=_("Publish with everything it holds…"), permissions=["publish"])
    def publish_with_children(self, request, queryset):
        """Lists every unpublished record the dialogues hold, then publishes the chosen ones with them."""
        user = request.user
        plans = []
        for dialogue in queryset.select_related("series"):
            contents = services.dialogue_contents_unpublished(dialogue=dialogue)
            choosable = [
                (record, user.has_perm(review.publish_permission(type(record))))
                for record in contents.choosable
            ]
            plans.append((dialogue, contents, choosable))
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Publish with everything it holds"),
                "opts": self.opts,
                "plans": [
                    (
                        dialogue,
                        contents,
                        [
                            (record, allowed, self._key(record), record._meta.verbose_name)
                            for record, allowed in choosable
                        ],
                    )
                    for dialogue, contents, choosable in plans
                ],
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/dialogue/publish_with_children.html", context)
        chosen = set(request.POST.getlist("publish"))
        count = 0
        for dialogue, _contents, choosable in plans:
            records = [record for record, allowed in choosable if allowed and self._key(record) in chosen]
            count += services.dialogue_publish_with_children(dialogue=dialogue, records=records)
        self.message_user(
            request,
            ngettext("%(count)d record published.", "%(count)d records published.", count) % {"count": count},
            messages.SUCCESS,
        )
        return None

    def unpublish_consequences(self, record) -> list[str]:
        lines = super().unpublish_consequences(record)
        findings = Finding.objects.public().filter(dialogue=record).count()
        recommendations = Recommendation.objects.public().filter(dialogue=record).count()
        people = record.participations.filter(is_public=True, person__is_public=True).count()
        if findings:
            lines.append(
                ngettext("%(n)d public finding", "%(n)d public findings", findings) % {"n": findings}
            )
        if recommendations:
            lines.append(
                ngettext("%(n)d public recommendation", "%(n)d public recommendations", recommendations)
                % {"n": recommendations}
            )
        lines.append(_("its sessions, documents and list of participants"))
        if people:
            lines.append(
                ngettext(
                    "%(n)d named participant (unless another public dialogue shows them)",
                    "%(n)d named participants (unless another public dialogue shows them)",
                    people,
                )
                % {"n": people}
            )
        return lines
