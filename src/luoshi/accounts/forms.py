"""Sign-in and password-change forms whose password fields stop at MAX_LENGTH characters, so an
overlong password is refused as a field error before anything hashes it."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from luoshi.accounts.passwords import MAX_LENGTH


class LoginForm(AuthenticationForm):
    password = forms.CharField(
        label=AuthenticationForm.base_fields["password"].label,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeLimitedForm(PasswordChangeForm):
    old_password = forms.CharField(
        label=PasswordChangeForm.base_fields["old_password"].label,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
