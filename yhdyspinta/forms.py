from django import forms
from django.contrib.auth.forms import AuthenticationForm


class PlainLabels:
    """Labels without Django's trailing colon, as in the rest of the service's text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Form(PlainLabels, forms.Form):
    pass


class ModelForm(PlainLabels, forms.ModelForm):
    pass


class LoginForm(PlainLabels, AuthenticationForm):
    pass
