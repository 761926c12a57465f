"""The admin side of review (core/review.py): hold, show, approve; reverts that keep publication.

- A save of a published record by someone who may not publish (its form, an inline row, a revert)
  is held as a pending revision; the form of such a user shows the pending text to go on from.
- The change form shows a waiting revision as a diff against the published record; an Editor
  approves or discards it there.
- A revert shows what it would change first, never changes the publication status, and lands as
  a pending revision for someone who may not publish.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import review
from core.models import PublishableModel

HELD = "_atlas_review_held"


class ReviewAdminMixin:
    """For PublishableAdmin: published records change only through an Editor."""

    # Holding ---------------------------------------------------------------------------------

    def _may_publish(self, request) -> bool:
        return review.may_publish(user=request.user, model=self.model)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        if change and getattr(request, "_atlas_reverting", False):
            # A revert restores content, never the publication status it had then.
            stored = self.model._base_manager.filter(pk=obj.pk).first()
            if stored is not None:
                for name in review.PUBLICATION_FIELDS:
                    setattr(obj, name, getattr(stored, name))
        return obj

    def save_model(self, request, obj, form, change):
        if change and review.review_required(instance=obj, user=request.user):
            links = {
                field.name: [related.pk for related in form.cleaned_data[field.name]]
                for field in self.model._meta.many_to_many
                if field.name in form.cleaned_data
            }
            seen = form.cleaned_data.get("version") or obj.version
            revision = review.revision_propose(
                instance=obj, user=request.user, links=links, expected_version=seen
            )
            form.save_m2m = lambda: None  # the links wait in the revision too
            setattr(obj, HELD, revision or False)
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        held = []
        for row in formset.initial_forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            instance = row.instance
            if review.review_required(instance=instance, user=request.user):
                seen = row.cleaned_data.get("version") or getattr(instance, "version", None)
                review.revision_propose(instance=instance, user=request.user, expected_version=seen)
                row.has_changed = lambda: False  # the formset saves only changed rows
                held.append(instance)
        if held:
            request._atlas_held_rows = [*getattr(request, "_atlas_held_rows", []), *held]
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        held_rows = getattr(request, "_atlas_held_rows", [])
        if held_rows:
            self.message_user(
                request,
                ngettext(
                    "%(count)d published row is waiting for an Editor's approval: %(rows)s.",
                    "%(count)d published rows are waiting for an Editor's approval: %(rows)s.",
                    len(held_rows),
                )
                % {"count": len(held_rows), "rows": ", ".join(f"“{row}”" for row in held_rows)},
                messages.INFO,
            )
        if not hasattr(obj, HELD):
            return super().response_change(request, obj)
        if getattr(obj, HELD):
            self.message_user(
                request,
                _(
                    "Your changes to “%(record)s” are waiting for an Editor's approval. The public "
                    "still sees the published version."
                )
                % {"record": obj},
                messages.INFO,
            )
        else:
            self.message_user(request, _("Nothing differs from the published version."), messages.INFO)
        return HttpResponseRedirect(self._change_url(obj.pk))

    def _change_url(self, pk):
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk], current_app=self.admin_site.name
        )

    # The form of someone who may not publish shows the pending text --------------------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "_atlas_overlay", False) and not self._may_publish(request):
            revision = review.revision_get(instance=obj)
            if revision is not None:
                review.revision_apply_to(revision=revision, instance=obj)
                obj._atlas_pending_links = revision.links
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "_atlas_reverting", False):
            stored = self.model._base_manager.filter(pk=obj.pk).first()
            if stored is not None:
                for name in review.PUBLICATION_FIELDS:
                    setattr(obj, name, getattr(stored, name))
        form = super().get_form(request, obj, change=change, **kwargs)
        links = getattr(obj, "_atlas_pending_links", None)
        if not links:
            return form

        class PendingLinksForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, ids in links.items():
                    if name in self.fields:
                        self.initial[name] = ids

        PendingLinksForm.__name__ = form.__name__
        return PendingLinksForm

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_atlas_reverting", False):
            readonly += [name for name in review.PUBLICATION_FIELDS if name not in readonly]
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._atlas_overlay = True
        if object_id is not None:
            extra_context = {**(extra_context or {}), **self._review_context(request, object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _review_context(self, request, object_id) -> dict:
        stored = self.model._base_manager.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if stored is None:
            return {}
        revision = review.revision_get(instance=stored)
        parts = [
            (
                part,
                part.record,
                part.content_type.model_class()._meta.verbose_name,
                review.revision_diff(revision=part),
            )
            for part in review.revisions_of_parts(record=stored)
        ]
        if revision is None and not parts:
            return {}
        return {
            "pending_revision": revision,
            "pending_diff": review.revision_diff(revision=revision) if revision else [],
            "pending_parts": parts,
            "may_approve": self._may_publish(request),
            "review_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_review",
                args=[stored.pk],
                current_app=self.admin_site.name,
            ),
        }

    # Revert: a diff first, publication kept ----------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._atlas_reverting = True
        history = self.model.history.model
        old = history.objects.filter(**{self.opts.pk.attname: object_id, "history_id": version_id}).first()
        stored = self.model._base_manager.filter(pk=object_id).first() if old is not None else None
        if stored is not None:
            extra_context = {
                **(extra_context or {}),
                "revert_diff": review.record_diff(current=stored, other=old.instance),
                "revert_held": not self._may_publish(request)
                and isinstance(stored, PublishableModel)
                and stored.status == "published",
            }
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Approve or discard ------------------------------------------------------------------------

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """POST `decision=approve|discard`: an Editor settles the record's pending revision."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_publish(request):
            raise PermissionDenied(_("Only an Editor can approve or discard a pending revision."))
        stored = self.model._base_manager.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if stored is None:
            raise Http404
        revision = review.revision_get(instance=stored)
        if request.POST.get("revision"):  # a part's revision (a session of this dialogue, say)
            revision = next(
                (
                    part
                    for part in review.revisions_of_parts(record=stored)
                    if str(part.pk) == request.POST["revision"]
                ),
                None,
            )
        if revision is None:
            raise Http404
        if request.POST.get("decision") == "approve":
            try:
                review.revision_approve(revision=revision, user=request.user)
            except ValidationError as error:
                messages.error(
                    request,
                    _("The revision cannot be applied: %(errors)s") % {"errors": " ".join(error.messages)},
                )
            else:
                messages.success(
                    request,
                    _("The revision of “%(record)s” is approved: the record now shows it.")
                    % {"record": stored},
                )
        else:
            label = revision.record or stored
            review.revision_discard(revision=revision)
            messages.success(request, _("The revision of “%(record)s” is discarded.") % {"record": label})
        return HttpResponseRedirect(self._change_url(stored.pk))
