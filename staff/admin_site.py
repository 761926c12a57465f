"""The staff admin site: Django's admin with a two-step sign-in made of django-otp's pieces. An
account with a confirmed TOTP device types its code on the login form, whoever it belongs to; with
OTP_REQUIRED_FOR_EDITORS, Editors and superusers reach no admin page but the sign-out until a code
has verified their session, and one without a device first enrols one on the two-step page by a QR
code (or an administrator runs `manage.py create_totp_device`); a wrong code counts as a failed
login for django-axes; and every redirect of the sign-in stays on this site."""

import base64
from functools import wraps
from urllib.parse import urlencode

import qrcode
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from core.security import second_factor_required


def typed_key(device) -> str:
    """The device's key as an app lets one type it (django-otp gives it only inside config_url)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


class CodeForm(OTPAuthenticationFormMixin, forms.Form):
    """django-otp's check of a code (row lock, throttling, messages) against the account's device.

    django-otp's own forms make the user choose among their devices; the two-step page and
    `create_totp_device` give an account one TOTP device, so `clean` names it for them. They know
    nothing of django-axes either: `clean` reports a rejected code to it as a failed login.
    """

    # django-otp's own field has no label, help text or hints for a phone's one-time-code keyboard.
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
        ),
        help_text=_("The six digits from your authenticator app, if you have set up two-step sign-in."),
    )
    # django-otp's messages, in this site's words (and translations).
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _(
            "This account uses two-step sign-in: enter the code from your authenticator app."
        ),
        "invalid_token": _(
            "That authentication code is not valid. Check the time on your device and try again."
        ),
        "n_failed_attempts": _("Too many wrong codes in a row: wait a few seconds, then enter a new code."),
    }

    def device_for(self, user):
        """The device the code is checked against; None asks for no code."""
        return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def clean_otp_token(self):
        # Apps show the code as "123 456"; django-otp's TOTP reads the digits alone.
        return "".join(self.cleaned_data["otp_token"].split())

    def clean(self):
        # Not OTPAdminAuthenticationForm.clean, which asks a code of every account, device or none.
        cleaned_data = super().clean()
        user = self.get_user()
        device = user and self.device_for(user)
        if device is None:
            return cleaned_data
        cleaned_data["otp_device"] = device.persistent_id  # where clean_otp reads the chosen device
        try:
            self.clean_otp(user)
        except forms.ValidationError:
            if "password" in self.fields:  # django-otp would send the typed password back in the page
                self.fields["password"].widget.render_value = False
            if cleaned_data.get("otp_token") and device.confirmed:
                credentials = {"username": user.get_username()}
                user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise
        return cleaned_data


class AtlasAuthenticationForm(CodeForm, AdminAuthenticationForm):
    """Username and password, and the code when the account has a device (see CodeForm)."""


class TwoStepForm(CodeForm):
    """The code alone, for a signed-in user: of their device, or of the one they are enrolling.

    Not django-otp's OTPTokenForm, which offers the confirmed devices only, in a choice this page
    does not show. While enrolling, the page shows the key itself: a wrong code then guesses
    nothing, and `clean` does not count it as a failed login (it counts those of confirmed devices).
    """

    def __init__(self, request, device, data=None):
        super().__init__(data)
        self.request, self.device = request, device

    def get_user(self):
        return self.request.user

    def device_for(self, user):
        return self.device


class AtlasAdminSite(admin.AdminSite):
    """Django's admin site with the two-step sign-in of this module's docstring.

    django_otp.admin.OTPAdminSite asks every user for a code and knows no enrolment; this site asks
    it of those with a device and, with OTP_REQUIRED_FOR_EDITORS, of Editors and superusers.
    """

    login_form = AtlasAuthenticationForm
    login_template = "admin/otp_login.html"

    @staticmethod
    def _second_factor_missing(request) -> bool:
        user = request.user
        # Not user.is_verified(): right after the password, login() has put the form's user in
        # request.user, which has otp_device only if a code was checked, and no is_verified.
        return user.is_staff and second_factor_required(user) and getattr(user, "otp_device", None) is None

    def admin_view(self, view, cacheable=False):
        """Django's wrapper, and a refused action (PermissionDenied) answered with the admin's own
        styled page saying why, never the bare 403 page (still with status 403)."""
        wrapped = super().admin_view(view, cacheable)

        @wraps(wrapped)
        def inner(request, *args, **kwargs):
            try:
                return wrapped(request, *args, **kwargs)
            except PermissionDenied as refusal:
                return self.refused_view(request, refusal)

        return inner

    def refused_view(self, request, refusal):
        if not (request.user.is_active and request.user.is_staff):
            raise refusal
        reason = str(refusal) or _("You do not have permission to do this.")
        back = request.META.get("HTTP_REFERER", "")
        context = {
            **self.each_context(request),
            "title": _("Not allowed"),
            "reason": reason,
            "back_url": back
            if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
            else "",
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/refused.html", context, status=403)

    def index(self, request, extra_context=None):
        """Django's admin home with the dashboard (staff.dashboard) above the list of models."""
        from staff.dashboard import dashboard

        models = [
            model for model, model_admin in self._registry.items() if model_admin.has_view_permission(request)
        ]
        context = {
            **(extra_context or {}),
            "dashboard": dashboard(user=request.user, models=models, site_name=self.name),
        }
        return super().index(request, context)

    def has_permission(self, request):
        return super().has_permission(request) and not self._second_factor_missing(request)

    def next_url(self, request) -> str:
        """The `next` parameter if it stays on this site, otherwise the admin index.

        The check of Django's LoginView, whose fallback is LOGIN_REDIRECT_URL, outside the admin.
        """
        url = request.POST.get("next", request.GET.get("next"))
        if url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return reverse("admin:index", current_app=self.name)

    @method_decorator(never_cache)  # as on AdminSite.login, which this wraps
    @login_not_required
    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        signed_in = request.method == "POST" and response.status_code == 302
        if (signed_in or request.method == "GET") and self._second_factor_missing(request):
            # Password accepted, second factor still owed: verify or enrol first.
            two_step = reverse("admin:two-step", current_app=self.name)
            return HttpResponseRedirect(f"{two_step}?{urlencode({'next': self.next_url(request)})}")
        if signed_in:
            # After the password (and code): `next`, or the admin index rather than LoginView's
            # LOGIN_REDIRECT_URL.
            return HttpResponseRedirect(self.next_url(request))
        return response

    def get_urls(self):
        # Not admin_view: the two-step page serves those whom has_permission still refuses.
        two_step = never_cache(csrf_protect(sensitive_post_parameters("otp_token")(self.two_step_view)))
        return [
            # Signing out needs no second factor, so not admin_view's permission check; LogoutView
            # brings its own CSRF check and never_cache. The same path in super().get_urls() then
            # never matches.
            path("logout/", self.logout, name="logout"),
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
        """Verify this session with the device's code, or enrol a first device and verify it.

        Not django_otp.views.LoginView, which verifies a confirmed device and has no enrolment.
        """
        user = request.user
        if not (user.is_active and user.is_staff):
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        next_url = self.next_url(request)
        if user.is_verified():
            return HttpResponseRedirect(next_url)
        # The confirmed device, else the one being enrolled, else a new one to enrol.
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
        device = device or TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
        enrolling = not device.confirmed
        form = TwoStepForm(request, device, request.POST or None)
        if form.is_valid():
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(next_url)

        context = {
            **self.each_context(request),
            "title": _("Set up two-step sign-in") if enrolling else _("Two-step sign-in"),
            "form": form,
            "enrolling": enrolling,
            "next": next_url,
            "required": second_factor_required(user),
        }
        if enrolling:
            # Inline, so no image request under the strict CSP. django_otp.qr writes svg:-prefixed
            # elements, which an HTML page does not read as SVG; qrcode's path image it does.
            qr_code = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=12, border=2)
            context["qr_svg"] = mark_safe(qr_code.to_string(encoding="unicode"))  # no user input
            context["secret"] = typed_key(device)
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_step.html", context)
