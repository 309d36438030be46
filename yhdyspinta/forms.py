from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class PlainLabels:
    """Labels without Django's trailing colon, as in the rest of the service's text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Form(PlainLabels, forms.Form):
    pass


class ModelForm(PlainLabels, forms.ModelForm):
    pass


class BoundedUsername:
    """Refuses a username longer than any account can have.

    Django's AuthenticationForm puts the length limit on the widget only, so a longer name reached
    authentication and django-axes, whose 255-character column refused it on PostgreSQL: a 500
    for anyone posting a long name. No such account exists; the form says the name is too long.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(PlainLabels, BoundedUsername, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsername, AdminAuthenticationForm):
    pass
