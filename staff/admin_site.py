"""The staff admin site: password plus optional TOTP sign-in, mandatory for Editors when configured.

- A user with a confirmed TOTP device must type its code on the login form, whoever they are.
- With OTP_REQUIRED_FOR_EDITORS, Editors and superusers reach no admin page (the logout and
  two-step pages aside) until their session is verified by a TOTP code; one without a device
  is sent to enrol one first (or an administrator runs `manage.py create_totp_device`).
- A wrong code counts as a failed login for django-axes, so codes cannot be guessed either.
"""

import base64
import io
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from core.security import second_factor_required


def confirmed_totp_devices(user):
    """The user's confirmed TOTP devices (locked for update: call inside a transaction)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


class CodeThrottled(Exception):
    """django-otp holds verification back after wrong codes (a growing delay per device)."""


def totp_verify(*, user, token: str, devices) -> object | None:
    """The device that accepts `token`, or None. Raises CodeThrottled while django-otp waits."""
    token = "".join(token.split())
    if not token.isdigit():
        return None
    throttled = False
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, _extra = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                return device
    if throttled:
        raise CodeThrottled
    return None


def record_failed_code(request, user) -> None:
    """A wrong second factor is a failed login: axes counts it toward the lockout."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )


TOKEN_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
)


class AtlasAuthenticationForm(AdminAuthenticationForm):
    """Username and password, and the authenticator code when the account has a TOTP device."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        widget=TOKEN_WIDGET,
        help_text=_("The six digits from your authenticator app, if you have set up two-step sign-in."),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": _(
            "This account uses two-step sign-in: enter the code from your authenticator app."
        ),
        "invalid_token": _(
            "That authentication code is not valid. Check the time on your device and try again."
        ),
        "throttled": _("Too many wrong codes in a row: wait a few seconds, then enter a new code."),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        devices = confirmed_totp_devices(user)
        if not devices.exists():
            return cleaned
        token = cleaned.get("otp_token") or ""
        if not token:
            raise forms.ValidationError(self.error_messages["token_required"], code="token_required")
        try:
            device = totp_verify(user=user, token=token, devices=devices)
        except CodeThrottled:
            record_failed_code(self.request, user)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled") from None
        if device is None:
            record_failed_code(self.request, user)
            raise forms.ValidationError(self.error_messages["invalid_token"], code="invalid_token")
        # django_otp's user_logged_in receiver stores this device in the session: verified.
        user.otp_device = device
        return cleaned


class TokenForm(forms.Form):
    otp_token = forms.CharField(label=_("Authentication code"), max_length=16, widget=TOKEN_WIDGET)


def qr_code_svg(data: str) -> str:
    """An inline SVG QR code (no image request, no inline style: fits the strict CSP)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


class AtlasAdminSite(admin.AdminSite):
    """Django's admin site with the two-step sign-in described in this module's docstring."""

    login_form = AtlasAuthenticationForm
    login_template = "admin/otp_login.html"

    @staticmethod
    def _second_factor_missing(request) -> bool:
        user = request.user
        return second_factor_required(user) and getattr(user, "otp_device", None) is None

    def has_permission(self, request):
        return super().has_permission(request) and not self._second_factor_missing(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        if getattr(view, "__name__", "") != "logout":
            return inner

        # Signing out never needs the second factor.
        def logout_view(request, *args, **kwargs):
            if request.user.is_active and request.user.is_staff:
                return view(request, *args, **kwargs)
            return inner(request, *args, **kwargs)

        return never_cache(logout_view)

    def _two_step_redirect(self, next_url: str | None):
        target = reverse("admin:two-step", current_app=self.name)
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)

    def login(self, request, extra_context=None):
        user = request.user
        if (
            request.method == "GET"
            and user.is_active
            and user.is_staff
            and self._second_factor_missing(request)
        ):
            # Password accepted earlier, second factor still owed: verify or enrol first.
            return self._two_step_redirect(request.GET.get("next"))
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and self._second_factor_missing(request):
            return self._two_step_redirect(response["Location"])
        return response

    def get_urls(self):
        two_step = never_cache(csrf_protect(sensitive_post_parameters("otp_token")(self.two_step_view)))
        return [
            path("two-step/", two_step, name="two-step"),
            path("deleted/", self.admin_view(self.deleted_records_view), name="deleted-records"),
            path(
                "deleted/<str:app_label>/<str:model_name>/<str:pk>/restore/",
                self.admin_view(self.restore_view),
                name="restore-record",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _may_restore(request, records) -> bool:
        from core.restore import restore_needs_publish

        user = request.user
        for item in records:
            opts = item.model._meta
            if not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
                return False
        for item in restore_needs_publish(records):
            opts = item.model._meta
            if not user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
                return False
        return True

    def deleted_records_view(self, request):
        """Records deleted through the admin or elsewhere, each with a restore button."""
        from core.restore import deleted_record_list

        models = [
            model
            for model, model_admin in self._registry.items()
            if model_admin.has_add_permission(request) or model_admin.has_view_permission(request)
        ]
        records = deleted_record_list(models=models)
        rows = [
            {
                "item": item,
                "opts": item.model._meta,
                "may_restore": self._may_restore(request, [item]),
            }
            for item in records
        ]
        context = {
            **self.each_context(request),
            "title": _("Deleted records"),
            "rows": rows,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def restore_view(self, request, app_label, model_name, pk):
        """POST: restore one deleted record (and what was deleted with it) from its history."""
        from django.apps import apps
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.http import Http404, HttpResponseNotAllowed
        from django.utils.translation import ngettext

        from core.restore import deleted_record_batch, deleted_record_get, record_restore

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError as error:
            raise Http404 from error
        if model not in self._registry:
            raise Http404
        try:
            deleted = deleted_record_get(model=model, pk=model._meta.pk.to_python(pk))
        except Exception as error:  # a malformed id is a 404, never a 500
            raise Http404 from error
        if deleted is None:
            raise Http404
        batch = deleted_record_batch(deleted=deleted)
        if not self._may_restore(request, batch):
            raise PermissionDenied
        restored = record_restore(deleted=deleted, user=request.user)
        first = restored[0]
        others = len(restored) - 1
        if others:
            text = ngettext(
                "Restored “%(record)s” and %(others)d record deleted with it.",
                "Restored “%(record)s” and %(others)d records deleted with it.",
                others,
            )
        else:
            text = _("Restored “%(record)s” from its history.")
        messages.success(request, text % {"record": first, "others": others})
        messages.info(
            request, _("Links to themes and other many-to-many links are not restored: check them.")
        )
        opts = model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk], current_app=self.name
            )
        )

    def two_step_view(self, request):
        """Verify this session with a TOTP code, or enrol a first device and verify it."""
        from django_otp import login as otp_login
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = request.user
        if not (user.is_active and user.is_staff):
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        index = reverse("admin:index", current_app=self.name)
        next_url = request.POST.get("next") or request.GET.get("next") or index
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = index

        confirmed = confirmed_totp_devices(user)
        enrolling = not confirmed.exists()
        device = None
        if enrolling:
            device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
            if device is None:
                device = TOTPDevice.objects.create(
                    user=user, name=str(_("Authenticator app")), confirmed=False
                )
        elif getattr(user, "otp_device", None) is not None:
            return HttpResponseRedirect(next_url)

        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            candidates = TOTPDevice.objects.filter(pk=device.pk) if enrolling else confirmed
            try:
                verified = totp_verify(user=user, token=form.cleaned_data["otp_token"], devices=candidates)
                error = AtlasAuthenticationForm.error_messages["invalid_token"]
            except CodeThrottled:
                verified, error = None, AtlasAuthenticationForm.error_messages["throttled"]
            if verified is not None:
                if enrolling:
                    verified.confirmed = True
                    verified.save(update_fields=["confirmed"])
                otp_login(request, verified)
                return HttpResponseRedirect(next_url)
            if not enrolling:
                record_failed_code(request, user)
            form.add_error("otp_token", error)

        context = {
            **self.each_context(request),
            "title": _("Set up two-step sign-in") if enrolling else _("Two-step sign-in"),
            "form": form,
            "enrolling": enrolling,
            "next": next_url,
            "required": second_factor_required(user),
        }
        if enrolling:
            context["qr_svg"] = mark_safe(qr_code_svg(device.config_url))  # generated by us, no user input
            context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_step.html", context)
